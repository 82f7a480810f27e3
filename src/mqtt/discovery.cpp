#include "mqtt/discovery.hpp"

#include <nlohmann/json.hpp>

#include "mqtt/topics.hpp"

namespace ble2garmin::mqtt {
namespace {

enum class StateTopic { weight, blood_pressure };

// One sensor. Units as Home Assistant spells them; device_class only where HA defines one that fits
// (weight in kg); state_class "measurement" for every number (long-term statistics), none for text.
struct Metric {
    std::string_view key;
    std::string_view name;
    std::string_view unit;
    std::string_view device_class;
    std::string_view icon;
    StateTopic topic = StateTopic::weight;
    bool numeric = true;
};

constexpr Metric k_metrics[] = {
    {"weight", "Weight", "kg", "weight", "mdi:scale-bathroom"},
    {"bmi", "BMI", "kg/m²", "", "mdi:human"},
    {"body_fat", "Body fat", "%", "", "mdi:water-percent"},
    {"water", "Body water", "%", "", "mdi:water"},
    {"muscle_mass", "Muscle mass", "kg", "weight", "mdi:arm-flex"},
    {"bone_mass", "Bone mass", "kg", "weight", "mdi:bone"},
    {"lean_body_mass", "Lean body mass", "kg", "weight", "mdi:human"},
    {"visceral_fat", "Visceral fat", "", "", "mdi:human"},
    {"protein", "Protein", "%", "", "mdi:egg"},
    {"metabolic_age", "Metabolic age", "a", "", "mdi:calendar-heart"},
    {"basal_metabolism", "Basal metabolism", "kcal", "", "mdi:fire"},
    {"body_type", "Body type", "", "", "mdi:human", StateTopic::weight, false},
    {"impedance", "Impedance", "Ω", "", "mdi:omega"},
    {"impedance_high", "Impedance 250 kHz", "Ω", "", "mdi:omega"},
    {"heart_rate", "Heart rate", "bpm", "", "mdi:heart-pulse"},
    {"systolic", "Systolic", "mmHg", "", "mdi:heart", StateTopic::blood_pressure},
    {"diastolic", "Diastolic", "mmHg", "", "mdi:heart", StateTopic::blood_pressure},
    {"pulse", "Pulse", "bpm", "", "mdi:heart-pulse", StateTopic::blood_pressure},
};

std::string config_topic(const DiscoveryTopics& topics, std::string_view user, std::string_view metric)
{
    return topics.discovery_prefix + "/sensor/ble2garmin_" + discovery_id(user) + "/" + std::string(metric) +
           "/config";
}

}  // namespace

const std::vector<std::string_view>& discovered_metrics()
{
    static const std::vector<std::string_view> keys = [] {
        std::vector<std::string_view> all;
        for (const Metric& metric : k_metrics) {
            all.push_back(metric.key);
        }
        return all;
    }();
    return keys;
}

std::vector<DiscoveryMessage> discovery_configs(const DiscoveryTopics& topics, std::string_view user)
{
    const std::string id = discovery_id(user);
    const std::string user_topic = topics.topic_prefix + "/" + topic_level(user);
    nlohmann::ordered_json device;
    device["identifiers"] = nlohmann::json::array({"ble2garmin_" + id});
    device["name"] = std::string(user);
    device["manufacturer"] = "ble2garmin";
    device["model"] = "Body measurements";
    std::vector<DiscoveryMessage> messages;
    for (const Metric& metric : k_metrics) {
        nlohmann::ordered_json config;
        const std::string key(metric.key);
        const std::string state_topic =
            user_topic + (metric.topic == StateTopic::weight ? "/weight" : "/blood_pressure");
        config["name"] = std::string(metric.name);
        config["unique_id"] = "ble2garmin_" + id + "_" + key;
        config["object_id"] = "ble2garmin_" + id + "_" + key;
        config["state_topic"] = state_topic;
        // A key the reading did not have (a weight-only weighing) leaves the sensor unknown.
        config["value_template"] =
            "{{ value_json." + key + " if value_json." + key + " is defined else none }}";
        if (!metric.unit.empty()) {
            config["unit_of_measurement"] = std::string(metric.unit);
        }
        if (!metric.device_class.empty()) {
            config["device_class"] = std::string(metric.device_class);
        }
        if (metric.numeric) {
            config["state_class"] = "measurement";
        }
        config["icon"] = std::string(metric.icon);
        if (key == "weight" || key == "systolic") {
            // Every other key of the state as attributes, as xiaomi_mi_scale's single sensor had them.
            config["json_attributes_topic"] = state_topic;
        }
        config["availability_topic"] = topics.availability;
        config["payload_available"] = "online";
        config["payload_not_available"] = "offline";
        config["device"] = device;
        messages.push_back({config_topic(topics, user, metric.key),
                            config.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
    }
    return messages;
}

std::vector<DiscoveryMessage> discovery_removals(const DiscoveryTopics& topics, std::string_view user)
{
    std::vector<DiscoveryMessage> messages;
    for (const Metric& metric : k_metrics) {
        messages.push_back({config_topic(topics, user, metric.key), ""});
    }
    return messages;
}

}  // namespace ble2garmin::mqtt
