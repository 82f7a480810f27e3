#include "app/mqtt_ingest.hpp"

#include <fmt/format.h>

#include "log/logging.hpp"
#include "mqtt/esp32_payload.hpp"
#include "mqtt/gateway_payload.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("mqtt");
}

// A payload in a log line: at most 80 bytes, anything but printable ASCII as '?' (a log line must stay
// valid UTF-8 for the journal and readable in a terminal).
std::string printable(std::string_view payload)
{
    std::string out;
    for (const char c : payload.substr(0, 80)) {
        const auto byte = static_cast<unsigned char>(c);
        out += byte < 0x20 || byte >= 0x7f ? '?' : c;
    }
    if (payload.size() > 80) {
        out += "…";
    }
    return out;
}

// The Mi Scale 2 payload kind (modules/mi_scale), so ESP32 readings are what a local Mi Scale 2 gives.
constexpr std::string_view k_mi_scale2 = "mi_scale2";

}  // namespace

void MqttIngest::reload(const Config& config)
{
    m_mqtt = config.mqtt;
    m_clock_tolerance = std::chrono::seconds(config.pipeline.scale_clock_tolerance_seconds);
    m_esp32_scale = config.mqtt.esp32_scale_mac;
    if (m_esp32_scale.empty()) {
        // The one configured Mi scale, when there is exactly one: ESP32 rows then join its history.
        int scales = 0;
        for (const auto& device : config.devices) {
            if (device.module == "mi_scale") {
                m_esp32_scale = device.mac;
                ++scales;
            }
        }
        if (scales != 1) {
            m_esp32_scale = "ESP32";
        }
    }
}

std::vector<std::string> MqttIngest::topics() const
{
    std::vector<std::string> topics;
    if (!m_mqtt.enabled) {
        return topics;
    }
    if (m_mqtt.esp32) {
        topics.push_back(m_mqtt.esp32_topic);
    }
    if (m_mqtt.role == MqttRole::hub) {
        topics.push_back(m_mqtt.gateway_topic + "/+");
    }
    return topics;
}

std::variant<std::monostate, Advertisement, Reading> MqttIngest::take(const mqtt::Message& message,
                                                                      SystemTime now)
{
    if (m_mqtt.esp32 && message.topic == m_mqtt.esp32_topic) {
        if (auto reading = take_esp32(message, now)) {
            return std::move(*reading);
        }
        return {};
    }
    const std::string prefix = m_mqtt.gateway_topic + "/";
    if (m_mqtt.role == MqttRole::hub && message.topic.starts_with(prefix) &&
        message.topic.find('/', prefix.size()) == std::string::npos) {
        if (auto advertisement = take_gateway(message, now)) {
            return std::move(*advertisement);
        }
    }
    return {};
}

std::optional<Reading> MqttIngest::take_esp32(const mqtt::Message& message, SystemTime now)
{
    if (message.payload.empty()) {
        return std::nullopt;  // a retained message being cleared
    }
    auto parsed = mqtt::parse_esp32_payload(message.payload);
    if (!parsed) {
        refuse(message, parsed.error().message);
        return std::nullopt;
    }
    const SystemTime measured = from_unix_seconds(parsed->unix_time);
    // export2garmin drops a reading whose time is too far from now (import_data.sh); here the same
    // tolerance as for a local scale's clock. The retained message of an old weighing ends here too.
    const auto off = std::chrono::duration_cast<std::chrono::seconds>(now - measured);
    if (off > m_clock_tolerance || off < -m_clock_tolerance) {
        refuse(message,
               fmt::format("its time {} is {} away from now (an old retained message, or the scale's "
                           "clock is off: weigh again after setting it)",
                           format_iso_utc(measured), describe_duration(off)));
        return std::nullopt;
    }
    Reading reading;
    reading.module = std::string(k_mi_scale2);
    reading.device_address = m_esp32_scale;
    reading.source = "mqtt:" + message.topic;
    reading.received_at = now;
    reading.device_time = measured;
    // The message carries no flags; time, weight and impedance tell weighings apart (shared/spec/mqtt.md
    // §2.3).
    reading.fingerprint =
        fmt::format("esp32/{}/{:.1f}/{}", parsed->unix_time, parsed->weight_kg, parsed->impedance_ohm);
    ScaleReading scale;
    scale.weight_kg = parsed->weight_kg;
    scale.impedance_ohm = parsed->impedance_ohm;
    scale.battery_volts = parsed->battery_volts;
    scale.battery_percent = parsed->battery_percent;
    reading.value = scale;
    logger()->debug("ESP32 reading taken in weight_kg={:.1f} impedance={} time={}", parsed->weight_kg,
                    parsed->impedance_ohm, format_iso_utc(measured));
    return reading;
}

std::optional<Advertisement> MqttIngest::take_gateway(const mqtt::Message& message, SystemTime now)
{
    auto advertisement = mqtt::decode_gateway_advertisement(message.payload);
    if (!advertisement) {
        refuse(message, advertisement.error().message);
        return std::nullopt;
    }
    const std::string topic_name = message.topic.substr(m_mqtt.gateway_topic.size() + 1);
    if (advertisement->source != "mqtt:" + topic_name) {
        refuse(message, "the gateway name \"g\" is not the topic's (" + topic_name + ")");
        return std::nullopt;
    }
    const auto off = advertisement->received_at - now;
    if (off > k_gateway_clock_tolerance || off < -k_gateway_clock_tolerance) {
        advertisement->received_at = now;
    }
    return std::move(*advertisement);
}

void MqttIngest::refuse(const mqtt::Message& message, const std::string& why)
{
    const std::string key = message.topic + '\n' + message.payload;
    if (key == m_last_refused) {
        return;
    }
    m_last_refused = key;
    logger()->warn("MQTT message ignored: {} topic={} payload=\"{}\"", why, message.topic,
                   printable(message.payload));
}

}  // namespace ble2garmin::app
