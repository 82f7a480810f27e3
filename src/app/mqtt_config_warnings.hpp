#pragma once
// What loads in [mqtt] but cannot work as meant (check-config and the daemon's start print them): a
// password file that cannot be read or that others may read, TLS files that are not there, a gateway
// with no devices to relay.

#include <string>
#include <vector>

#include "ble2garmin/config.hpp"

namespace ble2garmin::app {

std::vector<std::string> mqtt_config_warnings(const Config& config);

}  // namespace ble2garmin::app
