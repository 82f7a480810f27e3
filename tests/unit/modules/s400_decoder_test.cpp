// Golden vectors of shared/spec/device-s400.md §7 (xiaomi-ble and openScale test suites), and the
// frames that must fail: wrong key, wrong address, flipped tag or ciphertext byte, truncation.

#include <gtest/gtest.h>

#include "modules/s400/decoder.hpp"
#include "modules/s400/options.hpp"
#include "util/hex.hpp"

namespace ble2garmin::modules::s400 {
namespace {

constexpr const char* k_v1_mac = "8C:D0:B2:F6:BE:EF";
constexpr const char* k_v1_key = "0728974d657a4b60964c1b1677f35f7c";
constexpr const char* k_v1 = "4859d53b0abc078ff2348c844138e930220000009e538599";
constexpr const char* k_v3_mac = "04:AE:47:67:C6:7C";
constexpr const char* k_v3_key = "02d2900363ef629c736a4549677acbee";
constexpr const char* k_os_mac = "84:46:93:64:A5:E6";
constexpr const char* k_os_key = "58305740b64e4b425e518aa1f4e51339";

BindKey key_of(const char* hex)
{
    auto key = parse_bindkey(hex);
    EXPECT_TRUE(key.ok());
    return key.ok() ? *key : BindKey{};
}

MacAddress mac_of(const char* text)
{
    auto mac = parse_mac(text);
    EXPECT_TRUE(mac.has_value()) << text;
    return mac.value_or(MacAddress{});
}

Bytes bytes(const char* hex)
{
    return *parse_hex(hex);
}

struct Vector {
    const char* name;
    const char* mac;
    const char* key;
    const char* service_data;
    std::uint8_t counter;
    const char* plaintext;
    PacketKind kind;
    std::uint16_t weight_raw;
    std::optional<int> heart_rate_bpm;
    std::uint16_t impedance_raw;
    std::uint32_t scale_time;
};

std::ostream& operator<<(std::ostream& out, const Vector& v)
{
    return out << v.name;
}

// Expected values by hand from the bit fields of spec §4.1 (mass = data & 0x7FF, hr = bits 11–17,
// impedance = data >> 18), e.g. V1: 0x54E152BB → 699, 42 → 92 bpm, 5432.
const Vector k_vectors[] = {
    {"V1_weight", k_v1_mac, k_v1_key, k_v1, 0x0a, "166e0901bb52e154ed26f767", PacketKind::weight, 699, 92,
     5432, 0x67F726ED},
    {"V2_impedance_high", k_v1_mac, k_v1_key, "4859d53b0bd6ef0b25db72785e7e2f46d6000000d8642df6", 0x0b,
     "166e09010000c04ded26f767", PacketKind::impedance_high, 0, std::nullopt, 4976, 0x67F726ED},
    {"V3_socks", k_v3_mac, k_v3_key, "4859d53b71530438b5894b242c209908da000000479ecda3", 0x71,
     "166e0901ebfa0300d50f186a", PacketKind::socks, 747, std::nullopt, 0, 0x6A180FD5},
    {"V4_stepped_off", k_v3_mac, k_v3_key, "4859d53b72036c6794355a19dbc864bfb3000000e4151dc8", 0x72,
     "166e090100000000d50f186a", PacketKind::stepped_off, 0, std::nullopt, 0, 0x6A180FD5},
    {"OS1_weight", k_os_mac, k_os_key, "4859d53b2d3314943c58b133638c7457a4000000c3e670dc", 0x2d,
     "166e0901e612a43e79196c68", PacketKind::weight, 742, 52, 4009, 0x686C1979},
    {"OS2_weight_with_uuid", k_os_mac, k_os_key, "95fe4859d53b3bde6bc8d05b51c0cdfd9021c9000000925c5039", 0x3b,
     "166e0901dccabc4019087568", PacketKind::weight, 732, 75, 4143, 0x68750819},
    {"OS3_socks_with_uuid", k_os_mac, k_os_key, "95fe4859d53b4d6f359ce56f1f7e7e0adddc260000000c13d3c4", 0x4d,
     "166e0901ddfa0300e6587668", PacketKind::socks, 733, std::nullopt, 0, 0x687658E6},
    {"OS4_socks_with_uuid", k_os_mac, k_os_key, "95fe4859d53b63bb587950e1042cac1c5f18f6000000dbe97034", 0x63,
     "166e0901f0fa03003dbe7768", PacketKind::socks, 752, std::nullopt, 0, 0x6877BE3D},
};

class S400Vectors : public ::testing::TestWithParam<Vector> {};

TEST_P(S400Vectors, DecryptsAndDecodesAsSpecified)
{
    const Vector& v = GetParam();
    auto frame = parse_frame(bytes(v.service_data));
    ASSERT_TRUE(frame.ok()) << frame.error().message;
    EXPECT_EQ(frame->frame_control, 0x5948);
    EXPECT_EQ(frame->product_id, 0x3BD5);
    EXPECT_STREQ(s400_model(frame->product_id), "MJTZC01YM");
    EXPECT_EQ(frame->frame_counter, v.counter);
    EXPECT_EQ(frame->packet_counter(), v.counter);
    EXPECT_EQ(frame->version, 5);
    EXPECT_TRUE(frame->encrypted);
    EXPECT_TRUE(frame->has_object);
    EXPECT_FALSE(frame->mac);
    EXPECT_EQ(frame->payload.size(), 12U);

    auto plaintext = decrypt_frame(*frame, key_of(v.key), mac_of(v.mac));
    ASSERT_TRUE(plaintext.ok()) << plaintext.error().message;
    EXPECT_EQ(to_hex(*plaintext), v.plaintext);

    auto packet = find_body_packet(*plaintext);
    ASSERT_TRUE(packet.ok()) << packet.error().message;
    ASSERT_TRUE(packet->has_value());
    const BodyPacket& p = **packet;
    EXPECT_EQ(p.profile_id, 1);
    EXPECT_EQ(p.kind, v.kind);
    EXPECT_EQ(p.weight_raw, v.weight_raw);
    EXPECT_EQ(p.heart_rate_bpm(), v.heart_rate_bpm);
    EXPECT_EQ(p.impedance_raw, v.impedance_raw);
    EXPECT_EQ(p.scale_time, v.scale_time);
}

std::string vector_name(const ::testing::TestParamInfo<Vector>& vector)
{
    return vector.param.name;
}

INSTANTIATE_TEST_SUITE_P(Spec, S400Vectors, ::testing::ValuesIn(k_vectors), vector_name);

TEST(S400Decoder, NonceOfV1)
{
    auto frame = parse_frame(bytes(k_v1));
    ASSERT_TRUE(frame.ok());
    const auto nonce = make_nonce(mac_of(k_v1_mac), *frame);
    EXPECT_EQ(to_hex(Bytes(nonce.begin(), nonce.end())), "efbef6b2d08cd53b0a000000");
    EXPECT_EQ(to_hex(frame->payload), "bc078ff2348c844138e93022");
    EXPECT_EQ(to_hex(Bytes(frame->mic.begin(), frame->mic.end())), "9e538599");
}

TEST(S400Decoder, ValuesInUnits)
{
    auto frame = parse_frame(bytes(k_v1));
    auto packet = find_body_packet(*decrypt_frame(*frame, key_of(k_v1_key), mac_of(k_v1_mac)));
    ASSERT_TRUE(packet.ok() && packet->has_value());
    EXPECT_DOUBLE_EQ((*packet)->weight_kg(), 69.9);
    EXPECT_DOUBLE_EQ((*packet)->impedance_ohm(), 543.2);
    EXPECT_EQ((*packet)->data, 0x54E152BBU);
}

TEST(S400Decoder, HeartRateLimits)
{
    BodyPacket packet;
    packet.heart_rate_raw = 0;
    EXPECT_FALSE(packet.heart_rate_bpm());
    packet.heart_rate_raw = 1;
    EXPECT_EQ(packet.heart_rate_bpm(), 51);
    packet.heart_rate_raw = 126;
    EXPECT_EQ(packet.heart_rate_bpm(), 176);
    packet.heart_rate_raw = 127;  // not measured
    EXPECT_FALSE(packet.heart_rate_bpm());
}

TEST(S400Decoder, ClassificationOrder)
{
    // profile 2; data words built from the bit fields; the trailing time is arbitrary.
    const auto kind_of = [](std::uint32_t data) {
        Bytes value{2,
                    static_cast<std::uint8_t>(data),
                    static_cast<std::uint8_t>(data >> 8),
                    static_cast<std::uint8_t>(data >> 16),
                    static_cast<std::uint8_t>(data >> 24),
                    1,
                    2,
                    3,
                    4};
        auto packet = decode_body_object(value);
        EXPECT_TRUE(packet.ok());
        EXPECT_EQ(packet->profile_id, 2);
        return packet->kind;
    };
    EXPECT_EQ(kind_of(0), PacketKind::stepped_off);
    EXPECT_EQ(kind_of(4976U << 18), PacketKind::impedance_high);
    EXPECT_EQ(kind_of(4976U << 18 | 42U << 11 | 699U), PacketKind::weight);
    EXPECT_EQ(kind_of(127U << 11 | 747U), PacketKind::socks);
    EXPECT_EQ(kind_of(699U), PacketKind::socks);
    // A heart rate without weight is not the 250 kHz packet (xiaomi-ble: mass = 0 and hr = 0).
    EXPECT_EQ(kind_of(4976U << 18 | 42U << 11), PacketKind::weight);
}

TEST(S400Decoder, PacketNames)
{
    EXPECT_STREQ(packet_name(PacketKind::weight), "weight");
    EXPECT_STREQ(packet_name(PacketKind::impedance_high), "impedance_high");
    EXPECT_STREQ(packet_name(PacketKind::socks), "socks");
    EXPECT_STREQ(packet_name(PacketKind::stepped_off), "stepped_off");
}

TEST(S400Decoder, ImpedanceRoundsLikeExport2garmin)
{
    EXPECT_EQ(round_tenths(5432), 543);  // V1 → "543" in the CSV
    EXPECT_EQ(round_tenths(4976), 498);  // V2 → "498"
    EXPECT_EQ(round_tenths(4009), 401);
    EXPECT_EQ(round_tenths(5425), 542);  // half to even, as Python's format of 542.5
    EXPECT_EQ(round_tenths(5435), 544);
    EXPECT_EQ(round_tenths(0), 0);
    EXPECT_EQ(round_tenths(16383), 1638);  // the 14-bit maximum
}

TEST(S400Decoder, S200CrossCheckHasAnExtendedCounterAndNoS400Object)
{
    auto frame = parse_frame(bytes("4859044c019a80a275939010f0abc4fadc0600003d29c044"));
    ASSERT_TRUE(frame.ok()) << frame.error().message;
    EXPECT_EQ(frame->product_id, 0x4C04);
    EXPECT_EQ(s400_model(frame->product_id), nullptr);
    EXPECT_STREQ(other_xiaomi_scale(frame->product_id), "MJTZC02YM (S200)");
    EXPECT_EQ(frame->packet_counter(), 0x0601U);  // extended counter 06 00 00, frame counter 01
    auto plaintext =
        decrypt_frame(*frame, key_of("653b1b10e1cb35e4ac5e60fa45f3bf29"), mac_of("D0:7B:6F:27:D7:29"));
    ASSERT_TRUE(plaintext.ok()) << plaintext.error().message;
    EXPECT_EQ(to_hex(*plaintext), "164e0901511800008a1b1169");
    auto packet = find_body_packet(*plaintext);
    ASSERT_TRUE(packet.ok());
    EXPECT_FALSE(packet->has_value());  // object 0x4E16 is not 0x6E16
}

TEST(S400Decoder, IdleFrameHasNoObjectAndCarriesTheMac)
{
    auto frame = parse_frame(bytes("3058d53b00e080d38a43d408"));
    ASSERT_TRUE(frame.ok()) << frame.error().message;
    EXPECT_EQ(frame->frame_control, 0x5830);
    EXPECT_FALSE(frame->has_object);
    EXPECT_FALSE(frame->encrypted);
    ASSERT_TRUE(frame->mac);
    EXPECT_EQ(*frame->mac, mac_of("D4:43:8A:D3:80:E0"));
    EXPECT_TRUE(frame->payload.empty());
}

TEST(S400Decoder, EncryptionReproducesTheScalesFrame)
{
    auto frame = parse_frame(bytes(k_v1));
    const Bytes plaintext = bytes("166e0901bb52e154ed26f767");
    const std::uint8_t aad[] = {0x11};
    auto sealed = ccm_encrypt(key_of(k_v1_key), make_nonce(mac_of(k_v1_mac), *frame), aad, plaintext);
    ASSERT_TRUE(sealed.ok()) << sealed.error().message;
    EXPECT_EQ(to_hex(sealed->ciphertext), "bc078ff2348c844138e93022");
    EXPECT_EQ(to_hex(Bytes(sealed->tag.begin(), sealed->tag.end())), "9e538599");
}

// --- must fail ---------------------------------------------------------------------------------

std::string decrypt_error(const Bytes& service_data, const char* key = k_v1_key, const char* mac = k_v1_mac)
{
    auto frame = parse_frame(service_data);
    if (!frame) {
        return "parse: " + frame.error().message;
    }
    auto plaintext = decrypt_frame(*frame, key_of(key), mac_of(mac));
    return plaintext ? std::string("decrypted") : plaintext.error().message;
}

TEST(S400DecoderMustFail, WrongKey)
{
    const std::string message = decrypt_error(bytes(k_v1), k_v3_key);
    EXPECT_NE(message.find("failed authentication"), std::string::npos) << message;
    EXPECT_NE(message.find("bindkey is wrong or stale"), std::string::npos) << message;
    EXPECT_EQ(message.find(k_v3_key), std::string::npos);
    EXPECT_EQ(message.find(k_v1_key), std::string::npos);
}

TEST(S400DecoderMustFail, WrongAddressInTheNonce)
{
    EXPECT_NE(decrypt_error(bytes(k_v1), k_v1_key, k_v3_mac).find("failed authentication"),
              std::string::npos);
}

TEST(S400DecoderMustFail, EveryFlippedTagBit)
{
    const Bytes good = bytes(k_v1);
    for (std::size_t byte = good.size() - 4; byte < good.size(); ++byte) {
        for (int bit = 0; bit < 8; ++bit) {
            Bytes bad = good;
            bad[byte] = static_cast<std::uint8_t>(bad[byte] ^ (1U << bit));
            EXPECT_NE(decrypt_error(bad).find("failed authentication"), std::string::npos)
                << byte << "/" << bit;
        }
    }
}

TEST(S400DecoderMustFail, FlippedCiphertextCounterOrHeaderByte)
{
    const Bytes good = bytes(k_v1);
    // 2–4 product id and counter (nonce), 5–16 ciphertext, 17–19 extended counter (nonce).
    for (std::size_t byte = 2; byte < good.size() - 4; ++byte) {
        Bytes bad = good;
        bad[byte] = static_cast<std::uint8_t>(bad[byte] ^ 0x01);
        EXPECT_NE(decrypt_error(bad).find("failed authentication"), std::string::npos) << byte;
    }
}

TEST(S400DecoderMustFail, Truncated)
{
    const Bytes good = bytes(k_v1);
    for (std::size_t size = 0; size < good.size(); ++size) {
        const Bytes cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(size));
        const std::string message = decrypt_error(cut);
        if (size < 15) {  // header 5 + one object header 3 + extended counter 3 + MIC 4
            EXPECT_NE(message.find("parse: MiBeacon frame too short: " + std::to_string(size) + " bytes"),
                      std::string::npos)
                << size << ": " << message;
        } else {
            // Long enough to be parsed, but the MIC and counter are now other bytes.
            EXPECT_NE(message.find("failed authentication"), std::string::npos) << size << ": " << message;
        }
    }
}

TEST(S400DecoderMustFail, MeshAndLegacyFrames)
{
    EXPECT_EQ(decrypt_error(bytes("c859d53b0abc078ff2348c844138e930220000009e538599")),
              "parse: MiBeacon mesh frames are not supported");
    EXPECT_EQ(decrypt_error(bytes("4839d53b0abc078ff2348c844138e930220000009e538599")),
              "parse: MiBeacon v3 encryption is not supported (only v4/v5 AES-CCM)");
    EXPECT_NE(decrypt_error(bytes("5859d53b0a0102")).find("frame control with the MAC bit"),
              std::string::npos);
    EXPECT_NE(decrypt_error(bytes("6859d53b0a")).find("frame control with the capability bit"),
              std::string::npos);
    EXPECT_NE(decrypt_error(bytes("6859d53b0a20")).find("capability with the I/O bit"), std::string::npos);
}

TEST(S400DecoderMustFail, MalformedObjects)
{
    EXPECT_NE(find_body_packet(bytes("166e08")).error().message.find("claims 8 bytes, only 0 left"),
              std::string::npos);
    EXPECT_NE(find_body_packet(bytes("166e")).error().message.find("header truncated"), std::string::npos);
    EXPECT_EQ(find_body_packet(bytes("166e0801bb52e154ed26f7")).error().message,
              "S400 object 0x6E16 must be 9 bytes, got 8");
    // Other objects are skipped, the 0x6E16 after them is found.
    auto packet = find_body_packet(bytes("0a100164166e0901bb52e154ed26f767"));
    ASSERT_TRUE(packet.ok()) << packet.error().message;
    ASSERT_TRUE(packet->has_value());
    EXPECT_EQ((*packet)->weight_raw, 699);
}

TEST(S400DecoderMustFail, BindkeyText)
{
    EXPECT_TRUE(parse_bindkey("0728974D657A4B60964C1B1677F35F7C").ok());
    EXPECT_EQ(parse_bindkey("0728974d657a4b60964c1b1677f35f7").error().message,
              "must hold exactly 32 hexadecimal digits (found 31 characters)");
    EXPECT_EQ(parse_bindkey("0728974d657a4b60964c1b1677f35f7g").error().message,
              "must hold exactly 32 hexadecimal digits (character 32 is not 0-9 or a-f)");
    EXPECT_EQ(parse_bindkey("x728974d657a4b60964c1b1677f35f7c").error().message,
              "must hold exactly 32 hexadecimal digits (character 1 is not 0-9 or a-f)");
}

}  // namespace
}  // namespace ble2garmin::modules::s400
