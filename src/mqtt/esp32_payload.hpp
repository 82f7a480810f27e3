#pragma once
// export2garmin's ESP32 feed (shared/spec/export2garmin-compat.md §3, shared/spec/mqtt.md §2): the
// sketch miscale_esp32.ino publishes one retained message on the topic `data`:
//
//   unix;weight;impedance;batteryVolts;batteryPercent      e.g. "1672412076;58.4;521;3.5;5"
//
//   unix            Unix time from the scale's date fields, taken as UTC (decimal digits)
//   weight          kg, 1 decimal (raw × 0.005; the sketch has no lbs handling)
//   impedance       Ω, integer; the sketch publishes only when it is > 0
//   batteryVolts    the ESP32's 18650 cell, 1 decimal
//   batteryPercent  integer 0–100
//
// Nothing else is accepted: exactly five fields, plain decimal numbers (a trailing newline or
// spaces a hand-typed mosquitto_pub adds are tolerated), each within what the scale and the sketch
// can produce.

#include <cstdint>
#include <string_view>

#include "ble2garmin/result.hpp"

namespace ble2garmin::mqtt {

struct Esp32Reading {
    std::int64_t unix_time = 0;
    double weight_kg = 0;
    int impedance_ohm = 0;
    double battery_volts = 0;
    int battery_percent = 0;
};

// The reading in `payload`; an Error naming the first field that is wrong.
Result<Esp32Reading> parse_esp32_payload(std::string_view payload);

}  // namespace ble2garmin::mqtt
