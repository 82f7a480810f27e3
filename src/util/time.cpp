#include "util/time.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace ble2garmin {

using namespace std::chrono;

std::int64_t to_unix_seconds(SystemTime time)
{
    return duration_cast<seconds>(time.time_since_epoch()).count();
}

SystemTime from_unix_seconds(std::int64_t value)
{
    return SystemTime{seconds{value}};
}

Result<SystemTime> utc_from_fields(int y, int mo, int d, int h, int mi, int s)
{
    // SystemTime counts nanoseconds in 64 bits (years 1678..2261); a scale clock can claim any
    // 16-bit year, so anything outside a sane window is an invalid time, not an overflow.
    constexpr int k_first_year = 1900;
    constexpr int k_last_year = 2200;
    const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (y < k_first_year || y > k_last_year || mo < 1 || mo > 12 || d < 1 || !date.ok() || h < 0 || h > 23 ||
        mi < 0 || mi > 59 || s < 0 || s > 59) {
        char text[64];
        std::snprintf(text, sizeof text, "invalid date/time %04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi,
                      s);
        return make_error(text);
    }
    return SystemTime{sys_days{date} + hours{h} + minutes{mi} + seconds{s}};
}

namespace {
std::string format_utc(SystemTime time, const char* suffix)
{
    const auto day_point = floor<days>(time);
    const year_month_day date{day_point};
    const hh_mm_ss clock{floor<seconds>(time - day_point)};
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ld%s", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<long>(clock.hours().count()), static_cast<long>(clock.minutes().count()),
                  static_cast<long>(clock.seconds().count()), suffix);
    return text;
}

bool read_number(std::string_view text, std::size_t pos, std::size_t width, int& out)
{
    if (pos + width > text.size()) {
        return false;
    }
    out = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        out = out * 10 + (text[i] - '0');
    }
    return true;
}
}  // namespace

std::string format_iso_utc(SystemTime time)
{
    return format_utc(time, "Z");
}
std::string format_iso_naive_utc(SystemTime time)
{
    return format_utc(time, "");
}

std::string format_iso_naive_local(SystemTime time)
{
    const std::time_t t = system_clock::to_time_t(time);
    std::tm local{};
    localtime_r(&t, &local);
    return format_utc(time + seconds{local.tm_gmtoff}, "");
}

std::string format_iso_local_offset(SystemTime time)
{
    const std::time_t t = system_clock::to_time_t(time);
    std::tm local{};
    localtime_r(&t, &local);
    const long offset = local.tm_gmtoff;
    // Offsets are within ±26 h (tz database), so two digits each.
    const int minutes = static_cast<int>(((offset < 0 ? -offset : offset) / 60) % (100 * 60));
    char zone[16];
    std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset < 0 ? '-' : '+', minutes / 60, minutes % 60);
    return format_utc(time + seconds{offset}, "") + zone;
}

std::string format_iso_date_local(SystemTime time)
{
    return format_iso_naive_local(time).substr(0, 10);
}

Result<std::chrono::year_month_day> parse_iso_date(std::string_view text)
{
    int y = 0;
    int mo = 0;
    int d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !read_number(text, 0, 4, y) ||
        !read_number(text, 5, 2, mo) || !read_number(text, 8, 2, d)) {
        return make_error("expected a date as YYYY-MM-DD, got '" + std::string(text) + "'");
    }
    const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!date.ok()) {
        return make_error("no such date: '" + std::string(text) + "'");
    }
    return date;
}

Result<SystemTime> parse_iso_time(std::string_view text)
{
    const auto fail = [&] {
        return make_error("expected a time as YYYY-MM-DDTHH:MM:SSZ, got '" + std::string(text) + "'");
    };
    if (text.size() < 20) {
        return fail();
    }
    auto date = parse_iso_date(text.substr(0, 10));
    int h = 0;
    int mi = 0;
    int s = 0;
    if (!date || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':' ||
        !read_number(text, 11, 2, h) || !read_number(text, 14, 2, mi) || !read_number(text, 17, 2, s)) {
        return fail();
    }
    auto base = utc_from_fields(static_cast<int>(date->year()),
                                static_cast<int>(static_cast<unsigned>(date->month())),
                                static_cast<int>(static_cast<unsigned>(date->day())), h, mi, s);
    if (!base) {
        return base.error();
    }
    const std::string_view zone = text.substr(19);
    if (zone == "Z") {
        return *base;
    }
    int zh = 0;
    int zm = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' ||
        !read_number(zone, 1, 2, zh) || !read_number(zone, 4, 2, zm)) {
        return fail();
    }
    const auto offset = hours{zh} + minutes{zm};
    return zone[0] == '+' ? *base - offset : *base + offset;
}

LocalDateTime to_local(SystemTime time)
{
    const std::time_t t = system_clock::to_time_t(time);
    std::tm local{};
    localtime_r(&t, &local);
    char date[48];
    char clock[32];
    std::snprintf(date, sizeof date, "%02d.%02d.%04d", local.tm_mday, local.tm_mon + 1, local.tm_year + 1900);
    std::snprintf(clock, sizeof clock, "%02d:%02d", local.tm_hour, local.tm_min);
    return {date, clock,
            year_month_day{year{local.tm_year + 1900}, month{static_cast<unsigned>(local.tm_mon + 1)},
                           day{static_cast<unsigned>(local.tm_mday)}}};
}

Result<SystemTime> from_local_fields(int year, int month, int day, int hour, int minute, int second)
{
    // Validated as UTC fields first: mktime would normalise 30 February silently.
    if (auto valid = utc_from_fields(year, month, day, hour, minute, second); !valid) {
        return valid.error();
    }
    std::tm local{};
    local.tm_year = year - 1900;
    local.tm_mon = month - 1;
    local.tm_mday = day;
    local.tm_hour = hour;
    local.tm_min = minute;
    local.tm_sec = second;
    local.tm_isdst = -1;
    const std::time_t t = std::mktime(&local);
    if (t == static_cast<std::time_t>(-1)) {
        return make_error("the local time cannot be converted");
    }
    return from_unix_seconds(static_cast<std::int64_t>(t));
}

Result<void> check_time_zone(const std::string& zone)
{
    if (zone.empty()) {
        return {};
    }
    const char* dir = std::getenv("TZDIR");
    const std::filesystem::path database = dir != nullptr ? dir : "/usr/share/zoneinfo";
    std::error_code error;
    // An absolute name or ".." would make the lookup escape the database directory.
    if (zone.front() == '/' || zone.find("..") != std::string::npos ||
        !std::filesystem::is_regular_file(database / zone, error)) {
        return make_error("unknown time zone '" + zone + "' (not in " + database.string() + ")");
    }
    return {};
}

Result<void> use_time_zone(const std::string& zone)
{
    if (zone.empty()) {
        // Back to the system zone (/etc/localtime), also after a reload that removed the key.
        unsetenv("TZ");
        tzset();
        return {};
    }
    if (auto known = check_time_zone(zone); !known) {
        return known;
    }
    setenv("TZ", zone.c_str(), 1);
    tzset();
    return {};
}

std::string describe_duration(std::chrono::seconds duration)
{
    const long long seconds = duration.count() < 0 ? -duration.count() : duration.count();
    constexpr long long minute = 60;
    constexpr long long hour = 60 * minute;
    constexpr long long day = 24 * hour;
    constexpr double year = 365.25 * day;
    const auto value = static_cast<double>(seconds);
    const auto one_decimal = [](double amount, const char* unit) {
        char text[64];
        std::snprintf(text, sizeof text, "%.1f %s", amount, unit);
        return std::string(text);
    };
    if (seconds < 2 * minute) {
        return std::to_string(seconds) + " s";
    }
    if (seconds < 2 * hour) {
        return std::to_string((seconds + minute / 2) / minute) + " minutes";
    }
    if (seconds < 2 * day) {
        return one_decimal(value / hour, "hours");
    }
    if (value < 2 * 30.4375 * day) {
        return one_decimal(value / day, "days");
    }
    if (value < year) {
        return one_decimal(value / (year / 12), "months");
    }
    return one_decimal(value / year, "years");
}

}  // namespace ble2garmin
