// Home Assistant discovery (shared/spec/mqtt.md §3): topics, ids and the keys HA needs, checked
// against the documentation's rules rather than against our own output.

#include "mqtt/discovery.hpp"

#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mqtt/topics.hpp"

namespace ble2garmin::mqtt {
namespace {

const DiscoveryTopics k_topics{"homeassistant", "miscale", "miscale/availability"};

TEST(Discovery, OneSensorPerMetricWithUniqueIdsAndAvailability)
{
    const auto messages = discovery_configs(k_topics, "adam");
    ASSERT_EQ(messages.size(), discovered_metrics().size());
    std::set<std::string> ids;
    for (const auto& message : messages) {
        const auto config = nlohmann::json::parse(message.payload);
        const std::string metric =
            config["unique_id"].get<std::string>().substr(std::string("ble2garmin_adam_").size());
        EXPECT_EQ(message.topic, "homeassistant/sensor/ble2garmin_adam/" + metric + "/config");
        EXPECT_TRUE(ids.insert(config["unique_id"]).second) << "duplicate unique_id";
        EXPECT_EQ(config["availability_topic"], "miscale/availability");
        EXPECT_EQ(config["device"]["identifiers"], nlohmann::json::array({"ble2garmin_adam"}));
        EXPECT_EQ(config["device"]["name"], "adam");
    }
    const auto find = [&](const std::string& metric) {
        for (const auto& message : messages) {
            if (message.topic == "homeassistant/sensor/ble2garmin_adam/" + metric + "/config") {
                return nlohmann::json::parse(message.payload);
            }
        }
        ADD_FAILURE() << "no sensor for " << metric;
        return nlohmann::json();
    };
    EXPECT_EQ(find("weight")["device_class"], "weight");
    EXPECT_EQ(find("weight")["unit_of_measurement"], "kg");
    EXPECT_EQ(find("weight")["state_topic"], "miscale/adam/weight");
    EXPECT_EQ(find("weight")["json_attributes_topic"], "miscale/adam/weight");
    EXPECT_EQ(find("muscle_mass")["device_class"], "weight");
    EXPECT_FALSE(find("body_fat").contains("device_class"));  // HA has no class for a percentage of fat
    EXPECT_EQ(find("body_fat")["unit_of_measurement"], "%");
    EXPECT_EQ(find("body_fat")["state_class"], "measurement");
    EXPECT_FALSE(find("body_type").contains("state_class"));  // text: no statistics
    EXPECT_EQ(find("systolic")["state_topic"], "miscale/adam/blood_pressure");
    EXPECT_EQ(find("systolic")["unit_of_measurement"], "mmHg");
    EXPECT_EQ(find("pulse")["unit_of_measurement"], "bpm");
    EXPECT_EQ(find("basal_metabolism")["unit_of_measurement"], "kcal");
}

TEST(Discovery, NamesAreSanitisedForTopicsAndIds)
{
    EXPECT_EQ(discovery_id("Zoë Smith/2"), "Zo___Smith_2");  // two bytes of ë, the space, the slash
    EXPECT_EQ(topic_level("a/b+c#d"), "a_b_c_d");
    EXPECT_EQ(topic_level(""), "_");
    const auto messages = discovery_configs(k_topics, "Jo Ann");
    EXPECT_EQ(messages.front().topic, "homeassistant/sensor/ble2garmin_Jo_Ann/weight/config");
    EXPECT_EQ(nlohmann::json::parse(messages.front().payload)["state_topic"], "miscale/Jo Ann/weight");
}

TEST(Discovery, RemovalsAreEmptyRetainedConfigsOnTheSameTopics)
{
    const auto configs = discovery_configs(k_topics, "eve");
    const auto removals = discovery_removals(k_topics, "eve");
    ASSERT_EQ(configs.size(), removals.size());
    for (std::size_t i = 0; i < configs.size(); ++i) {
        EXPECT_EQ(removals[i].topic, configs[i].topic);
        EXPECT_TRUE(removals[i].payload.empty());
    }
}

}  // namespace
}  // namespace ble2garmin::mqtt
