#pragma once
// What a device said, before any user or formula is applied.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "ble2garmin/advertisement.hpp"

namespace ble2garmin {

struct ScaleReading {
    double weight_kg = 0;                   // always converted to kg by the module
    std::optional<int> impedance_ohm;       // single-frequency (Mi Scale 2) or 50 kHz (S400)
    std::optional<int> impedance_high_ohm;  // S400 250 kHz
    std::optional<int> heart_rate_bpm;      // S400
    std::optional<double> battery_volts;    // export2garmin's ESP32 feed (the ESP32's own battery)
    std::optional<int> battery_percent;
};

// What a device's scale readings can carry beyond weight and impedance (declared by its module): a
// new miscale_backup.csv gets export2garmin's columns for it.
struct ScaleReadingContent {
    bool impedance_high = false;
    bool heart_rate = false;
};

// The device's own user of a reading (the S400's profile, a cuff's user slot), under the [[users]]
// key its module declares (a static string of the module).
struct DeviceUser {
    std::string_view key;
    int id = 0;
};

struct BloodPressureReading {
    int systolic_mmhg = 0;
    int diastolic_mmhg = 0;
    int pulse_bpm = 0;
    bool movement = false;             // MOV
    bool irregular_heartbeat = false;  // IHB
};

// Where a reading downloaded from a device's memory is kept there (device_session.hpp): the store
// remembers the highest position it stored per device and stream, so the next session reads only
// what is newer.
struct MemoryPlace {
    std::string stream;         // e.g. "user1"
    std::int64_t position = 0;  // increasing within the stream
};

struct Reading {
    std::string module;          // payload kind that produced it, e.g. "mi_scale2"
    std::string device_address;  // "AA:BB:CC:DD:EE:FF"
    std::string source;          // copied from the Advertisement
    SystemTime received_at;
    // The device's own clock, already interpreted as UTC, when the frame carries one.
    std::optional<SystemTime> device_time;
    // Identity of this measurement for duplicate detection: equal for every re-advertisement of
    // the same weighing (flags such as "load removed" excluded), different for a new weighing.
    std::string fingerprint;
    std::variant<ScaleReading, BloodPressureReading> value;
    std::optional<DeviceUser> device_user;  // when the device tells its users apart
    // Set for a record read from the device's memory: its device_time is when it was measured,
    // whatever the receive time.
    std::optional<MemoryPlace> memory;
};

}  // namespace ble2garmin
