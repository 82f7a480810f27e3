#pragma once

#include <string>
#include <string_view>

#include "ble2garmin/bytes.hpp"
#include "ble2garmin/result.hpp"

namespace ble2garmin {

// Bytes from hex text ("0226b2…", case-insensitive; spaces and ':' between bytes allowed);
// an Error naming the first bad character or an odd digit count.
Result<Bytes> parse_hex(std::string_view text);
// The value of one hex digit (either case), or -1 for any other character.
int hex_digit_value(char c);

// Lower-case hex without separators.
std::string to_hex(const Bytes& bytes);

}  // namespace ble2garmin
