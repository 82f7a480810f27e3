#pragma once
// Wall-clock instants (receive times, device clocks, measurement times), UTC-based like Unix time.

#include <chrono>

namespace ble2garmin {

using SystemTime = std::chrono::system_clock::time_point;

}  // namespace ble2garmin
