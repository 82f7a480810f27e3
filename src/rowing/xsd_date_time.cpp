#include "rowing/xsd_date_time.hpp"

#include <chrono>
#include <cstddef>
#include <string>

namespace ble2garmin::rowing {
namespace {

// Later times overflow the nanosecond system clock (2262) once durations are added; no session is there.
constexpr int k_last_year = 2200;

std::string_view trim_xml_space(std::string_view text)
{
    constexpr std::string_view k_space = " \t\r\n";
    const auto first = text.find_first_not_of(k_space);
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(k_space) - first + 1);
}

// The `digits`-digit decimal number at `at`, or -1.
int number_at(std::string_view text, std::size_t at, std::size_t digits)
{
    if (at + digits > text.size()) {
        return -1;
    }
    int value = 0;
    for (std::size_t i = at; i < at + digits; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return -1;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

bool char_at(std::string_view text, std::size_t at, char expected)
{
    return at < text.size() && text[at] == expected;
}

}  // namespace

Result<std::int64_t> parse_xsd_date_time_ms(std::string_view raw)
{
    const std::string_view text = trim_xml_space(raw);
    const auto fail = [&](const char* why) {
        return make_error("'" + std::string(text.substr(0, 64)) + "' is not an xsd:dateTime (" + why + ")");
    };
    // Fixed part: YYYY-MM-DDThh:mm:ss (19 characters).
    const int year = number_at(text, 0, 4);
    const int month = number_at(text, 5, 2);
    const int day = number_at(text, 8, 2);
    const int hour = number_at(text, 11, 2);
    const int minute = number_at(text, 14, 2);
    const int second = number_at(text, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || !char_at(text, 4, '-') ||
        !char_at(text, 7, '-') || !char_at(text, 10, 'T') || !char_at(text, 13, ':') ||
        !char_at(text, 16, ':')) {
        return fail("expected YYYY-MM-DDThh:mm:ss");
    }
    if (year < 1970 || year > k_last_year) {
        return fail("not in 1970..2200");
    }
    const std::chrono::year_month_day date{std::chrono::year{year},
                                           std::chrono::month{static_cast<unsigned>(month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok()) {
        return fail("no such date");
    }
    if (hour > 23 || minute > 59 || second > 59) {
        return fail("no such time of day");
    }
    std::size_t at = 19;
    std::int64_t millis = 0;
    if (char_at(text, at, '.')) {
        ++at;
        const std::size_t digits_from = at;
        std::int64_t place = 100;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            millis += (text[at] - '0') * place;
            place /= 10;
            ++at;
        }
        if (at == digits_from) {
            return fail("no digits after '.'");
        }
    }
    std::int64_t offset_minutes = 0;
    if (char_at(text, at, 'Z')) {
        ++at;
    } else if (char_at(text, at, '+') || char_at(text, at, '-')) {
        const int offset_hours = number_at(text, at + 1, 2);
        const int offset_mins = number_at(text, at + 4, 2);
        if (offset_hours < 0 || offset_mins < 0 || !char_at(text, at + 3, ':') || offset_hours > 14 ||
            offset_mins > 59) {
            return fail("bad zone offset");
        }
        offset_minutes = (text[at] == '-' ? -1 : 1) * (offset_hours * 60 + offset_mins);
        at += 6;
    }
    if (at != text.size()) {
        return fail("unexpected text after the time");
    }
    const std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
    const std::int64_t seconds = days * 86'400 + hour * 3'600 + minute * 60 + second - offset_minutes * 60;
    return seconds * 1'000 + millis;
}

}  // namespace ble2garmin::rowing
