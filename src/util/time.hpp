#pragma once
// Time conversions used across the pipeline. Local dates (CSV columns, age) use the process time
// zone, which use_time_zone() sets from the config (IANA name, DST and half-hour zones included).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "ble2garmin/result.hpp"
#include "ble2garmin/system_time.hpp"

namespace ble2garmin {

std::int64_t to_unix_seconds(SystemTime time);
SystemTime from_unix_seconds(std::int64_t seconds);

// A calendar date and wall-clock time taken as UTC; an Error when a field is out of range.
Result<SystemTime> utc_from_fields(int year, int month, int day, int hour, int minute, int second);

// "2024-07-15T20:50:54Z"
std::string format_iso_utc(SystemTime time);
// "2024-07-15T20:50:54" (no zone: the device's own clock as it showed it)
std::string format_iso_naive_utc(SystemTime time);
// "2024-07-15T22:50:54": the wall-clock time in the process time zone, without a zone.
std::string format_iso_naive_local(SystemTime time);
// "2024-07-15T22:50:54+02:00": the wall-clock time in the process time zone with its real UTC offset.
std::string format_iso_local_offset(SystemTime time);
// "2024-07-15": the date in the process time zone.
std::string format_iso_date_local(SystemTime time);
// Parses "YYYY-MM-DDTHH:MM:SS" followed by "Z", "+hh:mm" or "-hh:mm" (a space may replace 'T');
// an Error otherwise.
Result<SystemTime> parse_iso_time(std::string_view text);
// Parses "YYYY-MM-DD"; an Error otherwise.
Result<std::chrono::year_month_day> parse_iso_date(std::string_view text);

struct LocalDateTime {
    std::string date;  // "15.07.2024" (export2garmin's dd.mm.yyyy)
    std::string time;  // "22:50"
    std::chrono::year_month_day ymd;
};
// The wall-clock date and time of `time` in the process time zone.
LocalDateTime to_local(SystemTime time);
// The instant a wall clock in the process time zone showed these fields (a time that occurs twice
// at the end of summer time: the first); an Error for fields that are no date and time.
Result<SystemTime> from_local_fields(int year, int month, int day, int hour, int minute, int second);

// A length of time in words a user reads at a glance: "45 s", "12 minutes", "5.5 hours", "3 days",
// "2.4 years" (one decimal from 2 hours on; a year is 365.25 days). The sign is ignored.
std::string describe_duration(std::chrono::seconds duration);

// Ok when `zone` (IANA name such as "Europe/Warsaw") is in the system's tz database, or empty;
// an Error naming the zone otherwise. Changes nothing, so the config loader can call it.
Result<void> check_time_zone(const std::string& zone);

// Makes `zone` (IANA name such as "Europe/Warsaw"; empty = keep the system zone) the zone of every
// local conversion; an Error when the zone is unknown to the system's tz database.
Result<void> use_time_zone(const std::string& zone);

}  // namespace ble2garmin
