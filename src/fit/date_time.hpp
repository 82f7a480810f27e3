#pragma once
// FIT `date_time` (shared/spec/fit.md §1.9): uint32 seconds since 1989-12-31T00:00:00Z, always UTC.
// Values below 0x10000000 mean "seconds since power-up", so an absolute time must not produce one.

#include <cstdint>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

namespace ble2garmin::fit {

// 1989-12-31T00:00:00Z as Unix time.
inline constexpr std::int64_t k_fit_epoch_unix = 631'065'600;
// Smallest absolute date_time (1998-07-03T21:24:16Z); anything below is relative system time.
inline constexpr std::uint32_t k_min_absolute_date_time = 0x1000'0000;
// Largest writable date_time (0xFFFFFFFF is the invalid value): 2126-02-06T06:28:14Z.
inline constexpr std::uint32_t k_max_date_time = 0xFFFF'FFFE;

// The date_time of `time`, sub-second part dropped (floored); an Error when `time` is before
// 1998-07-03T21:24:16Z or after 2126-02-06T06:28:14Z.
Result<std::uint32_t> to_date_time(SystemTime time);

// The instant a date_time (absolute, not relative system time) stands for.
SystemTime from_date_time(std::uint32_t date_time);

}  // namespace ble2garmin::fit
