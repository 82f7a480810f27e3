// The state payloads: xiaomi_mi_scale's keys in its order (shared/spec/mqtt.md §1.3), 2-decimal
// rounding, the timestamp with the real UTC offset of the process time zone.

#include "mqtt/state_payload.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "util/time.hpp"

namespace ble2garmin::mqtt {
namespace {

class StatePayload : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(use_time_zone("Europe/Warsaw").ok()); }
    void TearDown() override { ASSERT_TRUE(use_time_zone("UTC").ok()); }
};

ScaleState full_state()
{
    ScaleState state;
    state.measured_at =
        from_unix_seconds(1'721'076'654);  // 2024-07-15T20:50:54Z, 22:50:54 in Warsaw (+02:00)
    state.weight_kg = 55.2;
    state.impedance_ohm = 508;
    state.impedance_high_ohm = 450;
    state.heart_rate_bpm = 61;
    body::Composition c;
    c.weight = 55.2;
    c.bmi = 18.658734;
    c.basal_metabolism = 1217.4;
    c.visceral_fat = 4;
    c.ideal_weight = 64.4;
    c.body_fat = 10.8;
    c.muscle_mass = 46.74;
    c.bone_mass = 2.6;
    c.water = 61.2;
    c.lean_body_mass = 51.1;
    c.metabolic_age = 18.6;
    c.protein = 23.4;
    c.fat_mass_to_ideal = -6.8;
    c.physique_rating = 7;
    c.impedance = 508;
    state.composition = c;
    state.device = "C8:47:8C:A1:B2:C3";
    state.source = "hci0";
    return state;
}

TEST_F(StatePayload, XiaomiMiScaleKeysInOrderThenOurs)
{
    const auto json = nlohmann::ordered_json::parse(scale_state_json(full_state()));
    std::vector<std::string> keys;
    for (const auto& item : json.items()) {
        keys.push_back(item.key());
    }
    const std::vector<std::string> expected = {
        "weight",         "weight_unit", "bmi",           "basal_metabolism",  "visceral_fat",
        "lean_body_mass", "body_fat",    "water",         "bone_mass",         "muscle_mass",
        "protein",        "body_type",   "metabolic_age", "impedance",         "timestamp",
        "impedance_high", "heart_rate",  "ideal_weight",  "fat_mass_to_ideal", "physique_rating",
        "device",         "source"};
    EXPECT_EQ(keys, expected);
    EXPECT_EQ(json["weight"], 55.2);
    EXPECT_EQ(json["weight_unit"], "kg");
    EXPECT_EQ(json["bmi"], 18.66);
    EXPECT_EQ(json["muscle_mass"], 46.74);
    EXPECT_EQ(json["metabolic_age"], 19);    // 0 decimals
    EXPECT_EQ(json["body_type"], "Skinny");  // physique rating 7
    EXPECT_EQ(json["impedance"], 508);
    EXPECT_EQ(json["timestamp"], "2024-07-15T22:50:54+02:00");
}

TEST_F(StatePayload, WinterOffsetAndAWeightOnlyReading)
{
    ScaleState state;
    state.measured_at =
        from_unix_seconds(1'705'361'400);  // 2024-01-15T23:30:00Z = 00:30 on the 16th (+01:00)
    state.weight_kg = 80.123;
    const auto json = nlohmann::ordered_json::parse(scale_state_json(state));
    EXPECT_EQ(json.dump(), R"({"weight":80.12,"weight_unit":"kg","timestamp":"2024-01-16T00:30:00+01:00"})");
}

TEST_F(StatePayload, HalfHourZones)
{
    ASSERT_TRUE(use_time_zone("Asia/Kolkata").ok());
    ScaleState state;
    state.measured_at = from_unix_seconds(1'705'361'400);
    state.weight_kg = 60;
    EXPECT_EQ(nlohmann::json::parse(scale_state_json(state))["timestamp"], "2024-01-16T05:00:00+05:30");
    ASSERT_TRUE(use_time_zone("America/St_Johns").ok());  // -03:30 in January
    EXPECT_EQ(nlohmann::json::parse(scale_state_json(state))["timestamp"], "2024-01-15T20:00:00-03:30");
}

TEST_F(StatePayload, BloodPressure)
{
    BloodPressureState state;
    state.measured_at = from_unix_seconds(1'721'076'654);
    state.systolic_mmhg = 118;
    state.diastolic_mmhg = 82;
    state.pulse_bpm = 65;
    state.irregular_heartbeat = true;
    state.category = "High-Normal";
    EXPECT_EQ(blood_pressure_state_json(state),
              R"({"systolic":118,"diastolic":82,"pulse":65,"movement":false,"irregular_heartbeat":true,)"
              R"("category":"High-Normal","timestamp":"2024-07-15T22:50:54+02:00"})");
    const auto flat = blood_pressure_flat_values(state);
    ASSERT_EQ(flat.size(), 3U);
    EXPECT_EQ(flat[0], (std::pair<std::string, std::string>{"systolic", "118"}));
}

TEST_F(StatePayload, FlatValuesArePlainNumbers)
{
    const auto flat = scale_flat_values(full_state());
    std::map<std::string, std::string> values(flat.begin(), flat.end());
    EXPECT_EQ(values["weight"], "55.20");
    EXPECT_EQ(values["bmi"], "18.66");
    EXPECT_EQ(values["metabolic_age"], "19");
    EXPECT_EQ(values["impedance"], "508");
    EXPECT_EQ(values["impedance_high"], "450");
    EXPECT_EQ(values["heart_rate"], "61");
}

}  // namespace
}  // namespace ble2garmin::mqtt
