#pragma once
// Number text of the export2garmin CSV files (shared/spec/body-composition.md §5): fixed decimals
// rounded the way Python's "%.1f" rounds, i.e. the exact binary value rounded half-to-even.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ble2garmin::store {

// `value` with `decimals` digits after the point ("85.2" for 85.15, "1217" for 1217.2512, "-0.0" for
// -0.04 as Python writes it), independent of the locale; "nan", "inf", "-inf" as Python writes them.
std::string format_fixed(double value, int decimals);

// A signed amount of tenths as "-0.5", "0.0", "12.3" (no "-0.0").
std::string format_tenths(std::int64_t tenths);

// An optional decimal integer ("1721076654", "-3"); empty for anything else, including
// overflow, a '+' sign, spaces or an empty field.
std::optional<std::int64_t> parse_integer(std::string_view text);

// The latest Unix time a row may carry: 2200-01-01. Every clock conversion holds it (the system
// clock counts nanoseconds in 64 bits, ±292 years around 1970).
inline constexpr std::int64_t k_max_row_unix_time = 7'258'118'400;

// A row's Unix time: a decimal integer from 0 to k_max_row_unix_time; empty for anything else.
std::optional<std::int64_t> parse_unix_time(std::string_view text);

// A plain decimal number ("55.2", "-0.5", "508", ".5"); empty for anything else (exponents,
// "nan", "inf", hex, spaces, an empty field).
std::optional<double> parse_decimal(std::string_view text);

// A decimal number rounded to tenths ("55.25" -> 553 by the double's value); empty when the text is
// not a plain decimal or too large.
std::optional<std::int64_t> parse_tenths(std::string_view text);

}  // namespace ble2garmin::store
