#pragma once
// What the MQTT sink takes in (docs/mqtt.md): export2garmin's ESP32 feed becomes a Mi Scale 2
// reading, a gateway's message becomes an advertisement for the hub's dispatcher. A bad message is
// one log line saying why (the same message again — a retained one at every reconnect — is not
// logged again) and nothing else: no reading, no row.

#include <optional>
#include <string>
#include <variant>

#include "ble2garmin/config.hpp"
#include "ble2garmin/reading.hpp"

#include "mqtt/client.hpp"

namespace ble2garmin::app {

// The gateway's receive time is used when it is within this of the hub's clock; else the hub's
// (a gateway without NTP must not date a weighing wrongly).
inline constexpr std::chrono::seconds k_gateway_clock_tolerance{300};

class MqttIngest {
public:
    explicit MqttIngest(const Config& config) { reload(config); }
    void reload(const Config& config);

    // The topics to subscribe to.
    std::vector<std::string> topics() const;
    // What `message` carries, received at `now`; monostate when it is not for us or is bad (logged).
    std::variant<std::monostate, Advertisement, Reading> take(const mqtt::Message& message, SystemTime now);

private:
    std::optional<Reading> take_esp32(const mqtt::Message& message, SystemTime now);
    std::optional<Advertisement> take_gateway(const mqtt::Message& message, SystemTime now);
    void refuse(const mqtt::Message& message, const std::string& why);

    MqttConfig m_mqtt;
    std::string m_esp32_scale;  // the address ESP32 readings are recorded under
    std::chrono::seconds m_clock_tolerance{1200};
    std::string m_last_refused;  // topic + payload of the last bad message logged
};

}  // namespace ble2garmin::app
