#include "decoder.hpp"

namespace ble2garmin::modules::s400 {
namespace {

constexpr std::uint8_t k_aad = 0x11;  // the one byte of associated data of MiBeacon v4/v5
constexpr std::size_t k_body_object_size = 9;
constexpr std::uint8_t k_heart_rate_not_measured = 127;

std::uint32_t le32(const Bytes& b, std::size_t at)
{
    return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
           static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

}  // namespace

const char* packet_name(PacketKind kind)
{
    switch (kind) {
        case PacketKind::impedance_high:
            return "impedance_high";
        case PacketKind::weight:
            return "weight";
        case PacketKind::socks:
            return "socks";
        case PacketKind::stepped_off:
            break;
    }
    return "stepped_off";
}

std::optional<int> heart_rate_bpm(std::uint8_t heart_rate_raw)
{
    if (heart_rate_raw == 0 || heart_rate_raw >= k_heart_rate_not_measured) {
        return std::nullopt;
    }
    return heart_rate_raw + 50;  // sent as bpm − 50
}

std::optional<int> BodyPacket::heart_rate_bpm() const
{
    return s400::heart_rate_bpm(heart_rate_raw);
}

Result<BodyPacket> decode_body_object(const Bytes& value)
{
    if (value.size() != k_body_object_size) {
        return make_error("S400 object 0x6E16 must be 9 bytes, got " + std::to_string(value.size()));
    }
    BodyPacket packet;
    packet.profile_id = value[0];
    packet.data = le32(value, 1);
    packet.weight_raw = static_cast<std::uint16_t>(packet.data & 0x7FF);
    packet.heart_rate_raw = static_cast<std::uint8_t>((packet.data >> 11) & 0x7F);
    packet.impedance_raw = static_cast<std::uint16_t>(packet.data >> 18);
    packet.scale_time = le32(value, 5);
    const bool weight = packet.weight_raw != 0;
    const bool heart_rate = packet.heart_rate_raw != 0;
    const bool impedance = packet.impedance_raw != 0;
    if (!weight && !heart_rate && !impedance) {
        packet.kind = PacketKind::stepped_off;
    } else if (!weight && !heart_rate) {
        packet.kind = PacketKind::impedance_high;
    } else if (impedance) {
        packet.kind = PacketKind::weight;
    } else {
        packet.kind = PacketKind::socks;
    }
    return packet;
}

Result<Bytes> decrypt_frame(const MiBeaconFrame& frame, const BindKey& key, const MacAddress& mac)
{
    const std::uint8_t aad[] = {k_aad};
    auto plaintext =
        ccm_decrypt(key, make_nonce(frame.mac.value_or(mac), frame), aad, frame.payload, frame.mic);
    if (!plaintext) {
        return make_error(
            "S400 frame failed authentication (AES-CCM tag mismatch): the bindkey is wrong or stale — "
            "it changes when the scale is added to Xiaomi Home again; get the current one "
            "(docs/devices/s400.md)");
    }
    return plaintext;
}

Result<std::optional<BodyPacket>> find_body_packet(const Bytes& plaintext)
{
    auto objects = parse_objects(plaintext);
    if (!objects) {
        return objects.error();
    }
    for (const auto& object : *objects) {
        if (object.id != k_body_object_id) {
            continue;
        }
        auto packet = decode_body_object(object.value);
        if (!packet) {
            return packet.error();
        }
        return std::optional<BodyPacket>(*packet);
    }
    return std::optional<BodyPacket>{};
}

int round_tenths(std::uint32_t tenths)
{
    std::uint32_t whole = tenths / 10;
    const std::uint32_t rest = tenths % 10;
    if (rest > 5 || (rest == 5 && whole % 2 == 1)) {
        ++whole;
    }
    return static_cast<int>(whole);
}

}  // namespace ble2garmin::modules::s400
