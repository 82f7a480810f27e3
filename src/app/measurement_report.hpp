#pragma once
// The human-readable lines printed by `replay` and `demo` for each recorded measurement.

#include <string>

#include "ble2garmin/measurement.hpp"

namespace ble2garmin::app {

// Several lines, each ending in '\n': time, user, weight, impedance, then the body composition.
std::string describe_measurement(const Measurement& measurement);

}  // namespace ble2garmin::app
