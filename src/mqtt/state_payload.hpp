#pragma once
// The retained state messages (docs/mqtt.md):
//
//   <prefix>/<user>/weight          JSON, the keys of lolouk44/xiaomi_mi_scale in its order
//                                   (shared/spec/mqtt.md §1.3) so existing flows keep working, then
//                                   ours: impedance_high, heart_rate, ideal_weight, fat_mass_to_ideal,
//                                   physique_rating, battery_volts, battery_percent, device, source
//   <prefix>/<user>/blood_pressure  JSON: systolic, diastolic, pulse, movement, irregular_heartbeat,
//                                   category, timestamp, device, source
//   <prefix>/<user>/<metric>        flat topics (optional): one plain number each
//
// Values are rounded to 2 decimals like xiaomi_mi_scale (0 for metabolic age and impedance); the
// weight is always kg. The timestamp is ISO 8601 with the real UTC offset of general.timezone
// (xiaomi_mi_scale labels local time "+00:00": lolouk44/hassio-addons#96).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ble2garmin/body_composition.hpp"
#include "ble2garmin/system_time.hpp"

namespace ble2garmin::mqtt {

struct ScaleState {
    SystemTime measured_at;
    double weight_kg = 0;
    std::optional<int> impedance_ohm;       // Mi Scale 2, S400 50 kHz
    std::optional<int> impedance_high_ohm;  // S400 250 kHz
    std::optional<int> heart_rate_bpm;
    std::optional<double> battery_volts;  // ESP32 feed
    std::optional<int> battery_percent;
    std::optional<body::Composition> composition;
    std::string device;  // the scale's address; empty when not known (a row from the backup)
    std::string source;  // "hci0", "mqtt:kitchen"; empty when not known
};

struct BloodPressureState {
    SystemTime measured_at;
    int systolic_mmhg = 0;
    int diastolic_mmhg = 0;
    int pulse_bpm = 0;
    bool movement = false;
    bool irregular_heartbeat = false;
    std::string category;
    std::string device;
    std::string source;
};

// The JSON text of <prefix>/<user>/weight.
std::string scale_state_json(const ScaleState& state);
// The JSON text of <prefix>/<user>/blood_pressure.
std::string blood_pressure_state_json(const BloodPressureState& state);
// The flat topics' (metric, text) pairs, present values only.
std::vector<std::pair<std::string, std::string>> scale_flat_values(const ScaleState& state);
std::vector<std::pair<std::string, std::string>> blood_pressure_flat_values(const BloodPressureState& state);

}  // namespace ble2garmin::mqtt
