#include "mibeacon.hpp"

#include <algorithm>
#include <cstdio>

#include "util/hex.hpp"

namespace ble2garmin::modules::s400 {
namespace {

constexpr std::uint16_t k_fc_encrypted = 1U << 3;
constexpr std::uint16_t k_fc_mac = 1U << 4;
constexpr std::uint16_t k_fc_capability = 1U << 5;
constexpr std::uint16_t k_fc_object = 1U << 6;
constexpr std::uint16_t k_fc_mesh = 1U << 7;
constexpr std::uint8_t k_capability_io = 0x20;  // one I/O capability byte follows
constexpr std::size_t k_header_size = 5;        // FC, product id, frame counter
constexpr std::size_t k_trailer_size = 7;       // extended counter + MIC
constexpr std::size_t k_min_object_size = 3;    // id + length of one TLV

std::string too_short(std::size_t size, std::size_t needed, const char* what)
{
    return "MiBeacon frame too short: " + std::to_string(size) + " bytes, " + what + " need at least " +
           std::to_string(needed);
}

}  // namespace

Result<MiBeaconFrame> parse_frame(const Bytes& service_data)
{
    std::size_t start = 0;
    if (service_data.size() >= 2 && service_data[0] == 0x95 && service_data[1] == 0xFE) {
        start = 2;  // 26-byte form that still carries the UUID (openScale, mi-scale-exporter)
    }
    const std::size_t size = service_data.size() - start;
    const auto at = [&](std::size_t offset) { return service_data[start + offset]; };
    if (size < k_header_size) {
        return make_error(too_short(size, k_header_size, "frame control, product id and counter"));
    }
    MiBeaconFrame frame;
    frame.frame_control = static_cast<std::uint16_t>(at(0) | at(1) << 8);
    frame.product_id = static_cast<std::uint16_t>(at(2) | at(3) << 8);
    frame.frame_counter = at(4);
    frame.product_and_counter = {at(2), at(3), at(4)};
    frame.version = frame.frame_control >> 12;
    frame.encrypted = (frame.frame_control & k_fc_encrypted) != 0;
    frame.has_object = (frame.frame_control & k_fc_object) != 0;
    if ((frame.frame_control & k_fc_mesh) != 0) {
        return make_error("MiBeacon mesh frames are not supported");
    }

    std::size_t offset = k_header_size;
    if ((frame.frame_control & k_fc_mac) != 0) {
        if (size < offset + 6) {
            return make_error(too_short(size, offset + 6, "frame control with the MAC bit"));
        }
        MacAddress mac{};
        for (std::size_t i = 0; i < 6; ++i) {
            mac[i] = at(offset + 5 - i);  // sent in over-the-air (reversed) order
        }
        frame.mac = mac;
        offset += 6;
    }
    if ((frame.frame_control & k_fc_capability) != 0) {
        if (size < offset + 1) {
            return make_error(too_short(size, offset + 1, "frame control with the capability bit"));
        }
        const bool io = (at(offset) & k_capability_io) != 0;
        offset += io ? 2 : 1;
        if (size < offset) {
            return make_error(too_short(size, offset, "a capability with the I/O bit"));
        }
    }
    if (!frame.has_object) {
        return frame;  // idle frame: nothing more to read
    }
    if (!frame.encrypted) {
        frame.payload.assign(service_data.begin() + static_cast<std::ptrdiff_t>(start + offset),
                             service_data.end());
        return frame;
    }
    if (frame.version < 4) {
        char text[80];
        (void)std::snprintf(text, sizeof text,
                            "MiBeacon v%d encryption is not supported (only v4/v5 AES-CCM)", frame.version);
        return make_error(text);
    }
    if (size < offset + k_min_object_size + k_trailer_size) {
        return make_error(too_short(size, offset + k_min_object_size + k_trailer_size,
                                    "an encrypted object, extended counter and MIC"));
    }
    const std::size_t trailer = size - k_trailer_size;
    frame.payload.assign(service_data.begin() + static_cast<std::ptrdiff_t>(start + offset),
                         service_data.begin() + static_cast<std::ptrdiff_t>(start + trailer));
    frame.extended_counter = {at(trailer), at(trailer + 1), at(trailer + 2)};
    frame.mic = {at(trailer + 3), at(trailer + 4), at(trailer + 5), at(trailer + 6)};
    return frame;
}

const char* s400_model(std::uint16_t product_id)
{
    switch (product_id) {
        case 0x3BD5:
        case 0x30D9:
        case 0x48CF:
            return "MJTZC01YM";
        case 0x4B05:
            return "MJTZC03YM";
        default:
            return nullptr;
    }
}

const char* other_xiaomi_scale(std::uint16_t product_id)
{
    switch (product_id) {
        case 0x45C9:
        case 0x4C04:
        case 0x4DCB:
            return "MJTZC02YM (S200)";
        default:
            return nullptr;
    }
}

std::array<std::uint8_t, 12> make_nonce(const MacAddress& mac, const MiBeaconFrame& frame)
{
    std::array<std::uint8_t, 12> nonce{};
    for (std::size_t i = 0; i < 6; ++i) {
        nonce[i] = mac[5 - i];  // over-the-air order
    }
    for (std::size_t i = 0; i < 3; ++i) {
        nonce[6 + i] = frame.product_and_counter[i];
        nonce[9 + i] = frame.extended_counter[i];
    }
    return nonce;
}

Result<std::vector<MiBeaconObject>> parse_objects(const Bytes& plaintext)
{
    std::vector<MiBeaconObject> objects;
    std::size_t offset = 0;
    while (offset < plaintext.size()) {
        if (plaintext.size() - offset < k_min_object_size) {
            return make_error("MiBeacon object header truncated at byte " + std::to_string(offset));
        }
        MiBeaconObject object;
        object.id = static_cast<std::uint16_t>(plaintext[offset] | plaintext[offset + 1] << 8);
        const std::size_t length = plaintext[offset + 2];
        offset += k_min_object_size;
        if (plaintext.size() - offset < length) {
            char text[96];
            (void)std::snprintf(text, sizeof text, "MiBeacon object 0x%04X claims %zu bytes, only %zu left",
                                object.id, length, plaintext.size() - offset);
            return make_error(text);
        }
        object.value.assign(plaintext.begin() + static_cast<std::ptrdiff_t>(offset),
                            plaintext.begin() + static_cast<std::ptrdiff_t>(offset + length));
        offset += length;
        objects.push_back(std::move(object));
    }
    return objects;
}

std::optional<MacAddress> parse_mac(std::string_view text)
{
    // "AA:BB:CC:DD:EE:FF": six bytes with ':' between them (util/hex also accepts other spellings,
    // so the shape is checked here first).
    if (text.size() != 17) {
        return std::nullopt;
    }
    for (std::size_t i = 2; i < text.size(); i += 3) {
        if (text[i] != ':') {
            return std::nullopt;
        }
    }
    const auto bytes = parse_hex(text);
    if (!bytes || bytes->size() != 6) {
        return std::nullopt;
    }
    MacAddress mac{};
    std::copy(bytes->begin(), bytes->end(), mac.begin());
    return mac;
}

}  // namespace ble2garmin::modules::s400
