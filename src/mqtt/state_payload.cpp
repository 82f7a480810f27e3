#include "mqtt/state_payload.hpp"

#include <array>
#include <cmath>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/time.hpp"

namespace ble2garmin::mqtt {
namespace {

using Json = nlohmann::ordered_json;

// xiaomi_mi_scale's body_type labels, by physique rating 1–9 (shared/spec/mqtt.md §1.3).
constexpr std::array<std::string_view, 9> k_body_types = {
    "Obese",  "Overweight",      "Thick-set",      "Lack-exercise", "Balanced", "Balanced-muscular",
    "Skinny", "Balanced-skinny", "Skinny-muscular"};

// Python's round(x, 2) as xiaomi_mi_scale publishes it (half-even differences on binary floats are
// below what a scale resolves).
double round2(double value)
{
    return std::round(value * 100.0) / 100.0;
}

std::string text2(double value)
{
    return fmt::format("{:.2f}", value);
}

}  // namespace

std::string scale_state_json(const ScaleState& state)
{
    Json json;
    json["weight"] = round2(state.weight_kg);
    json["weight_unit"] = "kg";
    const auto& composition = state.composition;
    if (composition) {
        json["bmi"] = round2(composition->bmi);
        json["basal_metabolism"] = round2(composition->basal_metabolism);
        json["visceral_fat"] = round2(composition->visceral_fat);
        if (composition->body_fat) {
            json["lean_body_mass"] = round2(composition->lean_body_mass.value_or(0));
            json["body_fat"] = round2(*composition->body_fat);
            json["water"] = round2(composition->water.value_or(0));
            json["bone_mass"] = round2(composition->bone_mass.value_or(0));
            json["muscle_mass"] = round2(composition->muscle_mass.value_or(0));
            json["protein"] = round2(composition->protein.value_or(0));
            if (const auto rating = composition->physique_rating; rating && *rating >= 1 && *rating <= 9) {
                json["body_type"] = k_body_types[static_cast<std::size_t>(*rating - 1)];
            }
            if (composition->metabolic_age) {
                json["metabolic_age"] = std::round(*composition->metabolic_age);
            }
        }
    }
    if (state.impedance_ohm) {
        json["impedance"] = *state.impedance_ohm;
    }
    json["timestamp"] = format_iso_local_offset(state.measured_at);
    // Ours, after xiaomi_mi_scale's keys.
    if (state.impedance_high_ohm) {
        json["impedance_high"] = *state.impedance_high_ohm;
    }
    if (state.heart_rate_bpm) {
        json["heart_rate"] = *state.heart_rate_bpm;
    }
    if (composition) {
        json["ideal_weight"] = round2(composition->ideal_weight);
        if (composition->fat_mass_to_ideal) {
            json["fat_mass_to_ideal"] = round2(*composition->fat_mass_to_ideal);
        }
        if (composition->physique_rating) {
            json["physique_rating"] = *composition->physique_rating;
        }
    }
    if (state.battery_volts) {
        json["battery_volts"] = round2(*state.battery_volts);
    }
    if (state.battery_percent) {
        json["battery_percent"] = *state.battery_percent;
    }
    if (!state.device.empty()) {
        json["device"] = state.device;
    }
    if (!state.source.empty()) {
        json["source"] = state.source;
    }
    return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string blood_pressure_state_json(const BloodPressureState& state)
{
    Json json;
    json["systolic"] = state.systolic_mmhg;
    json["diastolic"] = state.diastolic_mmhg;
    json["pulse"] = state.pulse_bpm;
    json["movement"] = state.movement;
    json["irregular_heartbeat"] = state.irregular_heartbeat;
    if (!state.category.empty()) {
        json["category"] = state.category;
    }
    json["timestamp"] = format_iso_local_offset(state.measured_at);
    if (!state.device.empty()) {
        json["device"] = state.device;
    }
    if (!state.source.empty()) {
        json["source"] = state.source;
    }
    return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<std::pair<std::string, std::string>> scale_flat_values(const ScaleState& state)
{
    std::vector<std::pair<std::string, std::string>> values;
    values.emplace_back("weight", text2(state.weight_kg));
    const auto add = [&](const char* metric, const std::optional<double>& value) {
        if (value) {
            values.emplace_back(metric, text2(*value));
        }
    };
    if (const auto& c = state.composition) {
        values.emplace_back("bmi", text2(c->bmi));
        values.emplace_back("basal_metabolism", text2(c->basal_metabolism));
        values.emplace_back("visceral_fat", text2(c->visceral_fat));
        add("body_fat", c->body_fat);
        add("water", c->water);
        add("muscle_mass", c->muscle_mass);
        add("bone_mass", c->bone_mass);
        add("lean_body_mass", c->lean_body_mass);
        add("protein", c->protein);
        if (c->metabolic_age) {
            values.emplace_back("metabolic_age", fmt::format("{:.0f}", std::round(*c->metabolic_age)));
        }
    }
    if (state.impedance_ohm) {
        values.emplace_back("impedance", std::to_string(*state.impedance_ohm));
    }
    if (state.impedance_high_ohm) {
        values.emplace_back("impedance_high", std::to_string(*state.impedance_high_ohm));
    }
    if (state.heart_rate_bpm) {
        values.emplace_back("heart_rate", std::to_string(*state.heart_rate_bpm));
    }
    return values;
}

std::vector<std::pair<std::string, std::string>> blood_pressure_flat_values(const BloodPressureState& state)
{
    return {{"systolic", std::to_string(state.systolic_mmhg)},
            {"diastolic", std::to_string(state.diastolic_mmhg)},
            {"pulse", std::to_string(state.pulse_bpm)}};
}

}  // namespace ble2garmin::mqtt
