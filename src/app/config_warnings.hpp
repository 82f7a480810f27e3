#pragma once
// What a user should hear about a configuration that loads: it does nothing useful as it is, or
// part of it can never take effect. `check-config` prints these, the daemon logs them at start and
// at every reload; none stops either.

#include <string>
#include <vector>

#include "ble2garmin/config.hpp"

namespace ble2garmin::app {

// One sentence each, saying what to do; empty when there is nothing to say.
std::vector<std::string> config_warnings(const Config& config);

}  // namespace ble2garmin::app
