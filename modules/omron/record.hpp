#pragma once
// One stored blood-pressure record of an Omron cuff (shared/spec/device-omron.md §6). Pure.
//
// Little-endian 16-byte records (7150t, 7155t, 7342t, 7361t, 7377t1, 7380t1):
//   byte 0      systolic − 25 (mmHg)
//   byte 1      diastolic (mmHg)
//   byte 2      pulse (bpm)
//   byte 3      bits 0–5: year − 2000
//   bytes 4–5   v = LE16: bits 0–4 hour, 5–9 day, 10–13 month, bit 14 IHB, bit 15 MOV
//   bytes 6–7   w = LE16: bits 0–5 second (clamped to 59), 6–11 minute
//   bytes 8–15  not decoded (7377t1: byte 13 = 0x01 user 1, 0xFF user 2)
//
// Big-endian 14-byte records (7322t, 7600t, 6232t, 7530t):
//   byte 0      diastolic (mmHg)
//   byte 1      systolic − 25 (mmHg)
//   byte 2      year − 2000 (6232t / 7530t: & 0x3F)
//   byte 3      pulse (bpm)
//   bytes 4–5   V = BE16: bit 15 MOV, bit 14 IHB (6232t: swapped), 10–13 month, 5–9 day, 0–4 hour
//   bytes 6–7   W = BE16: bits 6–11 minute, 0–5 second (clamped to 59)
//   bytes 8–13  not decoded
//
// An all-0xFF slot was never written. Times are the cuff's own local clock, without zone.

#include <cstdint>
#include <optional>
#include <span>

#include "ble2garmin/device_session.hpp"
#include "ble2garmin/result.hpp"

#include "models.hpp"

namespace ble2garmin::modules::omron {

struct Record {
    int systolic = 0;                  // mmHg
    int diastolic = 0;                 // mmHg
    int pulse = 0;                     // bpm
    bool movement = false;             // MOV
    bool irregular_heartbeat = false;  // IHB
    DeviceDateTime taken_at;
    std::optional<int> user;  // 7377t1: the user the record names itself (byte 13)
};

// The record in `bytes` (exactly model.record_size of them); nullopt for an empty slot; an Error
// naming the field for a record that cannot be one (wrong length, a date that does not exist).
Result<std::optional<Record>> decode_record(const Model& model, std::span<const std::uint8_t> bytes);

// The record's time as seconds since 1970-01-01 00:00 of the cuff's clock (no zone): the position of
// the record in its user's stream.
std::int64_t local_seconds(const DeviceDateTime& time);

}  // namespace ble2garmin::modules::omron
