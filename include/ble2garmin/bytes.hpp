#pragma once
// Raw bytes as they come off the air or go into a file.

#include <cstdint>
#include <vector>

namespace ble2garmin {

using Bytes = std::vector<std::uint8_t>;

}  // namespace ble2garmin
