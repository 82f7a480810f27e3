#include "mqtt/esp32_payload.hpp"

#include <charconv>
#include <string>
#include <vector>

namespace ble2garmin::mqtt {
namespace {

// Plausible bounds: the Mi Scale 2 weighs up to 150 kg; its impedance field is 16 bits (0xFFFF
// would mean none, and the sketch sends only > 0); a Unix time between 2000 and 2100.
constexpr std::int64_t k_min_time = 946684800;   // 2000-01-01
constexpr std::int64_t k_max_time = 4102444800;  // 2100-01-01
constexpr double k_max_weight_kg = 150;
constexpr int k_max_impedance = 65534;
constexpr double k_max_battery_volts = 10;

bool is_digits(std::string_view text)
{
    return !text.empty() && text.size() <= 18 &&
           text.find_first_not_of("0123456789") == std::string_view::npos;
}

// "58", "58.4": digits, optionally one '.' and digits.
bool is_decimal(std::string_view text)
{
    const std::size_t dot = text.find('.');
    if (dot == std::string_view::npos) {
        return is_digits(text);
    }
    return is_digits(text.substr(0, dot)) && is_digits(text.substr(dot + 1));
}

template <typename T>
bool parse_number(std::string_view text, T& value)
{
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc{} && end == text.data() + text.size();
}

}  // namespace

Result<Esp32Reading> parse_esp32_payload(std::string_view payload)
{
    while (!payload.empty() && (payload.back() == '\n' || payload.back() == '\r' || payload.back() == ' ')) {
        payload.remove_suffix(1);
    }
    while (!payload.empty() && payload.front() == ' ') {
        payload.remove_prefix(1);
    }
    if (payload.empty()) {
        return make_error("empty message");
    }
    if (payload.size() > 64) {
        return make_error("message too long for unix;weight;impedance;batV;bat% (" +
                          std::to_string(payload.size()) + " bytes)");
    }
    std::vector<std::string_view> fields;
    for (std::size_t start = 0;;) {
        const std::size_t end = payload.find(';', start);
        fields.push_back(payload.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    if (fields.size() != 5) {
        return make_error("expected 5 fields unix;weight;impedance;batV;bat%, found " +
                          std::to_string(fields.size()));
    }
    Esp32Reading reading;
    if (!is_digits(fields[0]) || !parse_number(fields[0], reading.unix_time) ||
        reading.unix_time < k_min_time || reading.unix_time >= k_max_time) {
        return make_error("unix time is not a Unix time between 2000 and 2100");
    }
    if (!is_decimal(fields[1]) || !parse_number(fields[1], reading.weight_kg) || reading.weight_kg <= 0 ||
        reading.weight_kg > k_max_weight_kg) {
        return make_error("weight is not a number of kg between 0 and 150");
    }
    if (!is_digits(fields[2]) || !parse_number(fields[2], reading.impedance_ohm) ||
        reading.impedance_ohm <= 0 || reading.impedance_ohm > k_max_impedance) {
        return make_error("impedance is not a whole number of ohms between 1 and 65534");
    }
    if (!is_decimal(fields[3]) || !parse_number(fields[3], reading.battery_volts) ||
        reading.battery_volts > k_max_battery_volts) {
        return make_error("battery volts is not a number between 0 and 10");
    }
    if (!is_digits(fields[4]) || !parse_number(fields[4], reading.battery_percent) ||
        reading.battery_percent > 100) {
        return make_error("battery percent is not a whole number between 0 and 100");
    }
    return reading;
}

}  // namespace ble2garmin::mqtt
