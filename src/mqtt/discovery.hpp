#pragma once
// Home Assistant MQTT discovery (shared/spec/mqtt.md §3): one device per user, one sensor per
// metric, each config retained at
//
//   <discovery_prefix>/sensor/ble2garmin_<user id>/<metric>/config
//
// with unique_id "ble2garmin_<user id>_<metric>", the user's state topic and a value template, the
// unit, device_class and state_class where Home Assistant defines them, and the daemon's
// availability topic (backed by the MQTT last will). A user removed from the config gets an empty
// retained message on each of these topics, which is how Home Assistant deletes an entity.

#include <string>
#include <string_view>
#include <vector>

namespace ble2garmin::mqtt {

struct DiscoveryMessage {
    std::string topic;
    std::string payload;  // empty: delete the entity
};

struct DiscoveryTopics {
    std::string discovery_prefix;  // "homeassistant"
    std::string topic_prefix;      // "miscale"
    std::string availability;      // "<prefix>/availability"
};

// The metric keys (of the state JSON) that get a sensor, scale ones then blood pressure.
const std::vector<std::string_view>& discovered_metrics();

// Every sensor's config for `user`.
std::vector<DiscoveryMessage> discovery_configs(const DiscoveryTopics& topics, std::string_view user);
// The empty retained messages that delete every sensor of `user`.
std::vector<DiscoveryMessage> discovery_removals(const DiscoveryTopics& topics, std::string_view user);

}  // namespace ble2garmin::mqtt
