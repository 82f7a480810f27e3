#pragma once
// MiBeacon v4/v5 frames: the service data Xiaomi devices broadcast under UUID 0xFE95
// (shared/spec/device-s400.md §2–3). Pure functions over bytes; decryption is in aes_ccm.hpp.
//
//   offset  size  field
//   0       2     frame control (FC), uint16 LE — bits below
//   2       2     product id, uint16 LE (0x3BD5 … for the S400, see is_s400_product)
//   4       1     frame counter, the low byte of the packet counter
//   5       6     MAC in over-the-air order (displayed address reversed) — only if FC bit 4
//   next    1     capability — only if FC bit 5; one more I/O byte if capability & 0x20
//   next    n     object payload (TLV list), AES-CCM ciphertext if FC bit 3
//   len−7   3     extended counter, the high 24 bits of the packet counter (encrypted v4/v5 only)
//   len−4   4     MIC, the 4-byte AES-CCM tag (encrypted v4/v5 only)
//
// FC bits: 3 encrypted · 4 MAC included · 5 capability included · 6 object included · 7 mesh ·
// 8 bound · 10–11 auth mode · 12–15 version. The S400 sends FC 0x5948 (v5, encrypted, object,
// no MAC, no capability), 24 bytes, and object-less "idle" frames (FC 0x5830).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

namespace ble2garmin::modules::s400 {

// A Bluetooth address in display order: "8C:D0:B2:F6:BE:EF" is {0x8C, 0xD0, …, 0xEF}.
using MacAddress = std::array<std::uint8_t, 6>;

inline constexpr std::string_view k_mibeacon_uuid = "0000fe95-0000-1000-8000-00805f9b34fb";

struct MiBeaconFrame {
    std::uint16_t frame_control = 0;
    std::uint16_t product_id = 0;
    std::uint8_t frame_counter = 0;
    std::optional<MacAddress> mac;  // display order, when FC bit 4 put it in the frame
    bool encrypted = false;
    bool has_object = false;
    int version = 0;
    // The bytes the nonce is built from: product id LE + frame counter (frame bytes 2..4).
    std::array<std::uint8_t, 3> product_and_counter{};
    // Encrypted frames: the high 24 bits of the packet counter as sent (LE) and the tag.
    std::array<std::uint8_t, 3> extended_counter{};
    std::array<std::uint8_t, 4> mic{};
    // The object payload: ciphertext when `encrypted`, else the plain TLV list. Empty without object.
    Bytes payload;

    // ext_counter << 8 | frame_counter: what identifies a frame for replay detection.
    std::uint32_t packet_counter() const
    {
        return static_cast<std::uint32_t>(extended_counter[0] | extended_counter[1] << 8 |
                                          extended_counter[2] << 16)
                   << 8 |
               frame_counter;
    }
};

// The frame in `service_data` (the 0xFE95 value as BlueZ delivers it, without the UUID; a leading
// `95 FE`, as some relays keep it, is skipped: FC 0xFE95 would have the mesh bit and is never a
// valid frame). An Error saying what is wrong for a truncated frame, a mesh frame or a version
// below 4 (legacy encryption, never used by the S400).
Result<MiBeaconFrame> parse_frame(const Bytes& service_data);

// "MJTZC01YM" / "MJTZC03YM" for the S400 family, nullptr for any other product id.
const char* s400_model(std::uint16_t product_id);
// A Xiaomi product that is not an S400 but is a scale, for a precise message ("MJTZC02YM (S200)").
const char* other_xiaomi_scale(std::uint16_t product_id);

// The 12-byte AES-CCM nonce: MAC in over-the-air order ‖ product id LE + frame counter ‖
// extended counter.
std::array<std::uint8_t, 12> make_nonce(const MacAddress& mac, const MiBeaconFrame& frame);

// One object of a decrypted payload: TLV = object id uint16 LE, length uint8, value.
struct MiBeaconObject {
    std::uint16_t id = 0;
    Bytes value;
};

// Every object of `plaintext` in order; an Error when an object's length runs past the end.
Result<std::vector<MiBeaconObject>> parse_objects(const Bytes& plaintext);

// "8C:D0:B2:F6:BE:EF" → bytes; nullopt unless the text is a normalised address.
std::optional<MacAddress> parse_mac(std::string_view text);

}  // namespace ble2garmin::modules::s400
