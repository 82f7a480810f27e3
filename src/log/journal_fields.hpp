#pragma once
// The fields of one journald entry. Besides MESSAGE and PRIORITY, the key=value details every
// message carries (logging.hpp) become fields of their own, so that
//   journalctl -u ble2garmin DEVICE=C8:47:8C:9A:12:34
//   journalctl -u ble2garmin USER=anna MODULE=s400
// select one scale's, one person's or one device kind's lines.

#include <string>
#include <string_view>
#include <vector>

#include <spdlog/common.h>

namespace ble2garmin::logging {

// syslog priority of a level: debug/trace 7, info 6, warn 4, error 3, critical 2.
int journal_priority(spdlog::level::level_enum level);

// "MESSAGE=<component>: <message>", "PRIORITY=<n>", "SYSLOG_IDENTIFIER=ble2garmin",
// "BLE2GARMIN_COMPONENT=<component>", then DEVICE=, USER= and MODULE= from the first device=,
// user= and module= detail of the message (a value ends at a space; "-" means none).
std::vector<std::string> journal_fields(spdlog::level::level_enum level, std::string_view component,
                                        std::string_view message);

}  // namespace ble2garmin::logging
