#include "app/mqtt_config_warnings.hpp"

#include <system_error>

#include "mqtt/password.hpp"

namespace ble2garmin::app {

std::vector<std::string> mqtt_config_warnings(const Config& config)
{
    std::vector<std::string> warnings;
    const MqttConfig& mqtt = config.mqtt;
    if (!mqtt.enabled) {
        return warnings;
    }
    // A credential exists only inside the service (systemd hands it over): not checked here.
    if (!mqtt.password_file.empty()) {
        if (auto password = mqtt::read_password(mqtt, config.general.state_directory); !password) {
            warnings.push_back("[mqtt] " + password.error().message + ": MQTT stays off until it is fixed");
        }
    }
    for (const auto* file : {&mqtt.ca_file, &mqtt.cert_file, &mqtt.key_file}) {
        std::error_code error;
        if (!file->empty() && !std::filesystem::is_regular_file(config.resolve(*file), error)) {
            warnings.push_back("[mqtt] TLS file " + config.resolve(*file).string() +
                               " is not there (or not a file): MQTT stays off until it is");
        }
    }
    if (mqtt.role == MqttRole::gateway && config.devices.empty()) {
        warnings.push_back(
            "[mqtt] role = \"gateway\" relays the advertisements of its [devices.*] tables, and "
            "there are none");
    }
    return warnings;
}

}  // namespace ble2garmin::app
