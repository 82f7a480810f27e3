#pragma once
// Names in topics. A user's name becomes one topic level (lolouk44/xiaomi_mi_scale puts it there as
// is), so the characters MQTT reserves — '/', '+', '#' — and NUL are replaced by '_'. Home Assistant
// discovery ids allow only [a-zA-Z0-9_-] (shared/spec/mqtt.md §3): everything else becomes '_'.

#include <string>
#include <string_view>

namespace ble2garmin::mqtt {

// `name` as one topic level; "_" for an empty name.
std::string topic_level(std::string_view name);
// `name` as a Home Assistant node or object id.
std::string discovery_id(std::string_view name);

}  // namespace ble2garmin::mqtt
