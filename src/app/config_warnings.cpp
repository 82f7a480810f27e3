#include "app/config_warnings.hpp"

#include <algorithm>

#include "app/mqtt_config_warnings.hpp"
#include "pipeline/user_resolver.hpp"

namespace ble2garmin::app {

std::vector<std::string> config_warnings(const Config& config)
{
    std::vector<std::string> warnings;
    if (config.devices.empty()) {
        warnings.push_back(
            "no device is configured: the daemon listens to nothing; add a [devices.<module>] table "
            "(`ble2garmin scan` finds your scale; see docs/configuration.md)");
    }
    // A gateway records nothing: it needs no users.
    if (config.users.empty() && !(config.mqtt.enabled && config.mqtt.role == MqttRole::gateway)) {
        warnings.push_back(
            "no user is configured: every weighing is stored as `unassigned`, without body composition "
            "or upload; add a [[users]] table per person");
    }
    for (const auto& never : pipeline::users_never_chosen_by_weight(config.users)) {
        warnings.push_back("user '" + never.name +
                           "' can never be chosen by weight: at every weight of their range another user is "
                           "chosen ('" +
                           never.chosen_instead +
                           "' at its middle); make the weight ranges differ (docs/configuration.md, \"Users "
                           "and weight ranges\")");
    }
    // An id on a named device that no [devices.*] table names takes effect nowhere (a typo, or the
    // cuff was replaced).
    for (const auto& user : config.users) {
        for (const auto& [key, ids] : user.device_user_ids_by_address) {
            for (const auto& [address, id] : ids) {
                const std::string& named = address;  // clang 14 cannot capture a structured binding
                const bool configured =
                    std::any_of(config.devices.begin(), config.devices.end(),
                                [&named](const DeviceConfig& device) { return device.mac == named; });
                if (!configured) {
                    warnings.push_back("user '" + user.name + "' has " + key + " " + std::to_string(id) +
                                       " on " + address +
                                       ", which no [devices.*] table names: it applies to no device; correct "
                                       "the address (`ble2garmin scan` lists what is on the air)");
                }
            }
        }
    }
    for (auto& warning : mqtt_config_warnings(config)) {
        warnings.push_back(std::move(warning));
    }
    return warnings;
}

}  // namespace ble2garmin::app
