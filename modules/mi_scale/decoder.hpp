#pragma once
// Pure decoders of the two Xiaomi Mi scale advertisement payloads (shared/spec/device-mi-scale.md).

#include <cstdint>
#include <optional>
#include <string>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

namespace ble2garmin::modules::mi_scale {

enum class Unit { kg, lbs, jin };

const char* unit_name(Unit unit);

// The scale's own clock fields, as sent (the scale keeps UTC when Zepp Life set it; often 1970).
struct ScaleClock {
    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
};

struct Frame {
    Unit unit = Unit::kg;
    std::uint16_t weight_raw = 0;
    double weight_kg = 0;
    std::uint16_t impedance_raw = 0;
    // Set when the impedance bit is on and the value is plausible (0 < Ω < 3000).
    std::optional<int> impedance_ohm;
    bool stabilized = false;
    bool impedance_present = false;  // the impedance bit (Mi Scale 2 only)
    bool load_removed = false;
    bool object_mode = false;  // "weigh small object" mode: not a person
    ScaleClock clock;

    // A person's stabilized weight while still on the scale (the finality rule of the spec §3).
    bool is_final() const { return stabilized && !load_removed && !object_mode && weight_raw > 0; }
};

// The weight ble2garmin records for a frame, in tenths of a kilogram: the scale's exact value
// rounded half-up. The scale counts whole steps (5 g in kg and jin mode, 0.01 lb in lbs mode), so
// the exact value is a fraction of integers and is rounded as one, never through a binary float
// (82.35 kg is 82.4, as export2garmin writes it; a double holds 82.3499… and would give 82.3).
// Pounds are converted with the exact international pound (0.45359237 kg).
std::int64_t recorded_weight_tenths(Unit unit, std::uint16_t raw);

// recorded_weight_tenths() in kilograms: the weight every later step (user, body composition, CSV,
// upload) works with, as export2garmin does with the one-decimal weight of its backup row.
double recorded_weight_kg(const Frame& frame);

// Mi Body Composition Scale 2, service data 0x181B, exactly 13 bytes; an Error for another length.
Result<Frame> decode_scale2(const Bytes& payload);

// Mi Smart Scale (v1), service data 0x181D, exactly 10 bytes; an Error for another length.
Result<Frame> decode_scale1(const Bytes& payload);

}  // namespace ble2garmin::modules::mi_scale
