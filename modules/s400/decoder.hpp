#pragma once
// The S400's measurement object and the decryption of its frames (shared/spec/device-s400.md §3–4).
// Pure functions: bytes and a key in, values or an Error out.

#include <cstdint>
#include <optional>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

#include "aes_ccm.hpp"
#include "mibeacon.hpp"

namespace ble2garmin::modules::s400 {

inline constexpr std::uint16_t k_body_object_id = 0x6E16;

// What one 0x6E16 object is, evaluated in this order (xiaomi-ble's classification since PR #312):
enum class PacketKind {
    stepped_off,     // weight, heart rate and impedance all 0: the person left the scale
    impedance_high,  // weight 0, heart rate 0, impedance ≠ 0: the 250 kHz value, last packet
    weight,          // weight + heart rate + the 50 kHz impedance, first packet
    socks,           // weight only (no foot contact): final by itself
};

// "stepped_off", "impedance_high", "weight", "socks" (the `packet` field of `decode --json`).
const char* packet_name(PacketKind kind);

// Object 0x6E16, 9 bytes:
//   0     profile id (the user slot on the scale)
//   1–4   uint32 LE, bit fields:  0–10  weight, 0.1 kg per LSB
//                                 11–17 heart rate − 50 bpm (0 none, 127 not measured)
//                                 18–31 impedance, 0.1 Ω per LSB
//   5–8   uint32 LE, a Unix time in every sample (ignored upstream; used here as the identity of
//         the weighing and, when plausible, as its time — an inference, see the spec)
struct BodyPacket {
    int profile_id = 0;
    std::uint32_t data = 0;
    std::uint16_t weight_raw = 0;
    std::uint8_t heart_rate_raw = 0;
    std::uint16_t impedance_raw = 0;
    std::uint32_t scale_time = 0;
    PacketKind kind = PacketKind::stepped_off;

    double weight_kg() const { return weight_raw / 10.0; }         // 0.1 kg per LSB
    double impedance_ohm() const { return impedance_raw / 10.0; }  // 0.1 Ω per LSB
    std::optional<int> heart_rate_bpm() const;
};

// hr_raw + 50 bpm when 0 < hr_raw < 127 (0 = none, 127 = not measured), else nullopt.
std::optional<int> heart_rate_bpm(std::uint8_t heart_rate_raw);

// The packet in the value of object 0x6E16; an Error unless it is 9 bytes.
Result<BodyPacket> decode_body_object(const Bytes& value);

// The plaintext of an encrypted frame from the device at `mac`; an Error when the frame does not
// authenticate — the message (constant, without any key material) suggests a wrong or stale bindkey.
Result<Bytes> decrypt_frame(const MiBeaconFrame& frame, const BindKey& key, const MacAddress& mac);

// The 0x6E16 packet among the objects of `plaintext`; nullopt when there is none (other objects
// are skipped); an Error for a malformed object list or a 0x6E16 object of the wrong length.
Result<std::optional<BodyPacket>> find_body_packet(const Bytes& plaintext);

// Ω from 0.1 Ω steps, rounded to an integer half to even — what export2garmin's 0-decimal
// formatting of the float gives (543.2 → 543, 497.6 → 498, 542.5 → 542).
int round_tenths(std::uint32_t tenths);

}  // namespace ble2garmin::modules::s400
