#include "mqtt/gateway_payload.hpp"

#include <chrono>
#include <limits>

#include <nlohmann/json.hpp>

#include "util/hex.hpp"

namespace ble2garmin::mqtt {
namespace {

constexpr std::size_t k_max_entries = 16;
constexpr std::size_t k_max_value_bytes = 255;
constexpr std::string_view k_base_uuid_tail = "-0000-1000-8000-00805f9b34fb";

// "0000181b-0000-1000-8000-00805f9b34fb" → "181b"; other UUIDs as they are.
std::string short_uuid(const std::string& uuid)
{
    if (uuid.size() == 36 && uuid.compare(0, 4, "0000") == 0 &&
        uuid.compare(8, std::string::npos, k_base_uuid_tail) == 0) {
        return uuid.substr(4, 4);
    }
    return uuid;
}

bool is_gateway_name(std::string_view name)
{
    return !name.empty() && name.size() <= 64 && name.find_first_of("/+#") == std::string_view::npos &&
           name.find('\0') == std::string_view::npos;
}

Result<Bytes> value_bytes(const nlohmann::json& value, std::string_view what)
{
    if (!value.is_string()) {
        return make_error(std::string(what) + " value is not a hex string");
    }
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() > 2 * k_max_value_bytes) {
        return make_error(std::string(what) + " value is longer than 255 bytes");
    }
    auto bytes = parse_hex(text);
    if (!bytes) {
        return make_error(std::string(what) + " value is not hex");
    }
    return bytes;
}

}  // namespace

std::string encode_gateway_advertisement(const Advertisement& advertisement, std::string_view gateway)
{
    nlohmann::ordered_json json;
    json["g"] = std::string(gateway);
    json["a"] = advertisement.address;
    if (!advertisement.name.empty()) {
        json["n"] = advertisement.name;
    }
    if (advertisement.rssi_dbm) {
        json["r"] = *advertisement.rssi_dbm;
    }
    json["t"] =
        std::chrono::duration_cast<std::chrono::milliseconds>(advertisement.received_at.time_since_epoch())
            .count();
    if (!advertisement.service_data.empty()) {
        nlohmann::ordered_json service = nlohmann::ordered_json::object();
        for (const auto& [uuid, bytes] : advertisement.service_data) {
            service[short_uuid(uuid)] = to_hex(bytes);
        }
        json["s"] = std::move(service);
    }
    if (!advertisement.manufacturer_data.empty()) {
        nlohmann::ordered_json manufacturer = nlohmann::ordered_json::object();
        for (const auto& [company, bytes] : advertisement.manufacturer_data) {
            manufacturer[std::to_string(company)] = to_hex(bytes);
        }
        json["m"] = std::move(manufacturer);
    }
    // A name that is not valid UTF-8 must not make the message unwritable.
    return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<Advertisement> decode_gateway_advertisement(std::string_view payload)
{
    if (payload.size() > k_max_gateway_message) {
        return make_error("message longer than 4096 bytes");
    }
    const auto json = nlohmann::json::parse(payload, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return make_error("not a JSON object");
    }
    Advertisement advertisement;
    const auto gateway = json.find("g");
    if (gateway == json.end() || !gateway->is_string() ||
        !is_gateway_name(gateway->get_ref<const std::string&>())) {
        return make_error("no gateway name \"g\"");
    }
    advertisement.source = "mqtt:" + gateway->get<std::string>();
    const auto address = json.find("a");
    if (address == json.end() || !address->is_string() ||
        (advertisement.address = normalize_mac(address->get_ref<const std::string&>())).empty()) {
        return make_error("no device address \"a\"");
    }
    if (const auto name = json.find("n"); name != json.end()) {
        if (!name->is_string() || name->get_ref<const std::string&>().size() > 248) {
            return make_error("name \"n\" is not a string of at most 248 bytes");
        }
        advertisement.name = name->get<std::string>();
    }
    if (const auto rssi = json.find("r"); rssi != json.end()) {
        if (!rssi->is_number_integer() || rssi->get<std::int64_t>() < -127 ||
            rssi->get<std::int64_t>() > 20) {
            return make_error("RSSI \"r\" is not a whole number of dBm between -127 and 20");
        }
        advertisement.rssi_dbm = static_cast<std::int16_t>(rssi->get<std::int64_t>());
    }
    const auto time = json.find("t");
    // Unix milliseconds between 2000 and 2100.
    if (time == json.end() || !time->is_number_integer() || time->get<std::int64_t>() < 946684800000 ||
        time->get<std::int64_t>() >= 4102444800000) {
        return make_error("receive time \"t\" is not Unix milliseconds between 2000 and 2100");
    }
    advertisement.received_at = SystemTime(std::chrono::duration_cast<SystemTime::duration>(
        std::chrono::milliseconds(time->get<std::int64_t>())));
    if (const auto service = json.find("s"); service != json.end()) {
        if (!service->is_object() || service->size() > k_max_entries) {
            return make_error("service data \"s\" is not an object of at most 16 entries");
        }
        for (const auto& [key, value] : service->items()) {
            const std::string uuid = normalize_uuid(key);
            if (uuid.empty()) {
                return make_error("service data key is not a UUID");
            }
            auto bytes = value_bytes(value, "service data");
            if (!bytes) {
                return bytes.error();
            }
            advertisement.service_data[uuid] = std::move(*bytes);
        }
    }
    if (const auto manufacturer = json.find("m"); manufacturer != json.end()) {
        if (!manufacturer->is_object() || manufacturer->size() > k_max_entries) {
            return make_error("manufacturer data \"m\" is not an object of at most 16 entries");
        }
        for (const auto& [key, value] : manufacturer->items()) {
            unsigned long company = 0;
            std::size_t used = 0;
            if (key.empty() || key.size() > 5 || key.find_first_not_of("0123456789") != std::string::npos ||
                (company = std::stoul(key, &used)) > std::numeric_limits<std::uint16_t>::max()) {
                return make_error("manufacturer data key is not a company id 0–65535");
            }
            auto bytes = value_bytes(value, "manufacturer data");
            if (!bytes) {
                return bytes.error();
            }
            advertisement.manufacturer_data[static_cast<std::uint16_t>(company)] = std::move(*bytes);
        }
    }
    if (advertisement.service_data.empty() && advertisement.manufacturer_data.empty()) {
        return make_error("neither service data \"s\" nor manufacturer data \"m\"");
    }
    return advertisement;
}

}  // namespace ble2garmin::mqtt
