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

// Mi Body Composition Scale 2, service data 0x181B, exactly 13 bytes; an Error for another length.
Result<Frame> decode_scale2(const Bytes& payload);

// Mi Smart Scale (v1), service data 0x181D, exactly 10 bytes; an Error for another length.
Result<Frame> decode_scale1(const Bytes& payload);

}  // namespace ble2garmin::modules::mi_scale
