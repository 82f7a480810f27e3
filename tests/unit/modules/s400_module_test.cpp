// The S400 module as the dispatcher and `ble2garmin decode` see it: config checks, advertisements
// in and outcomes out (sessions, repeats, authentication failures), describe() for the CLI.

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "ble2garmin/device_module.hpp"

#include "../temp_dir.hpp"
#include "modules/s400/decoder.hpp"
#include "modules/s400/options.hpp"
#include "util/hex.hpp"

namespace ble2garmin {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* k_uuid = "0000fe95-0000-1000-8000-00805f9b34fb";
constexpr const char* k_mac = "8C:D0:B2:F6:BE:EF";
constexpr const char* k_key = "0728974d657a4b60964c1b1677f35f7c";
constexpr const char* k_key_upper = "0728974D657A4B60964C1B1677F35F7C";
constexpr const char* k_v1 = "4859d53b0abc078ff2348c844138e930220000009e538599";
constexpr const char* k_v2 = "4859d53b0bd6ef0b25db72785e7e2f46d6000000d8642df6";
constexpr const char* k_v3_mac = "04:AE:47:67:C6:7C";
constexpr const char* k_v3_key = "02d2900363ef629c736a4549677acbee";
constexpr const char* k_v3 = "4859d53b71530438b5894b242c209908da000000479ecda3";
constexpr const char* k_v4 = "4859d53b72036c6794355a19dbc864bfb3000000e4151dc8";
constexpr const char* k_s200 = "4859044c019a80a275939010f0abc4fadc0600003d29c044";
constexpr const char* k_idle = "3058d53b00e080d38a43d408";
// V1's trailing time, 2025-04-10 02:03:25 UTC: the scale's clock at the weighing.
const SystemTime k_t0 = SystemTime{} + 1'744'250'605s;

std::unique_ptr<DeviceModule> make(const char* mac = k_mac, const char* key = k_key, int grace = 10)
{
    const auto* descriptor = find_device_module("s400");
    EXPECT_NE(descriptor, nullptr);
    auto created =
        descriptor->create(toml::table{{"mac", mac}, {"bindkey", key}, {"session_grace_seconds", grace}});
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? std::move(*created) : nullptr;
}

// The error of create() for `text` parsed as the [devices.s400] table of "file.toml".
std::string create_error(const std::string& text, const std::string& path = "file.toml")
{
    toml::table document = toml::parse(text, path);
    auto created = find_device_module("s400")->create(*document["devices"]["s400"].as_table());
    return created.ok() ? std::string("created") : created.error().message;
}

Advertisement advertisement_of(const char* hex, SystemTime at, const char* address = k_mac)
{
    Advertisement advertisement;
    advertisement.address = address;
    advertisement.received_at = at;
    advertisement.source = "hci0";
    if (hex != nullptr) {
        advertisement.service_data[k_uuid] = *parse_hex(hex);
    }
    return advertisement;
}

// A frame of the S400 with our own counter and plaintext, sealed as the scale does.
std::string seal(std::uint8_t counter, const char* plaintext_hex, const char* mac = k_mac,
                 const char* key = k_key)
{
    using namespace modules::s400;
    Bytes frame = *parse_hex("4859d53b");
    frame.push_back(counter);
    auto parsed =
        parse_frame(*parse_hex("4859d53b" + to_hex(Bytes{counter}) + "000000" + "000000" + "00000000"));
    EXPECT_TRUE(parsed.ok());
    const std::uint8_t aad[] = {0x11};
    auto sealed = ccm_encrypt(*parse_bindkey(key), make_nonce(*parse_mac(mac), *parsed), aad,
                              *parse_hex(plaintext_hex));
    EXPECT_TRUE(sealed.ok());
    frame.insert(frame.end(), sealed->ciphertext.begin(), sealed->ciphertext.end());
    frame.insert(frame.end(), {0, 0, 0});
    frame.insert(frame.end(), sealed->tag.begin(), sealed->tag.end());
    return to_hex(frame);
}

const Reading* reading_of(const DecodeOutcome& outcome)
{
    return std::get_if<Reading>(&outcome);
}

const ScaleReading& scale_of(const DecodeOutcome& outcome)
{
    return std::get<ScaleReading>(std::get<Reading>(outcome).value);
}

std::string why(const DecodeOutcome& outcome)
{
    if (const auto* pending = std::get_if<NotFinal>(&outcome)) {
        return "not final: " + pending->why;
    }
    if (const auto* error = std::get_if<DecodeError>(&outcome)) {
        return "error: " + error->reason;
    }
    return std::holds_alternative<NotMine>(outcome) ? "not mine" : "reading";
}

// --- decode ------------------------------------------------------------------------------------

TEST(S400Module, TwoPacketsGiveOneReadingWithBothImpedancesAndTheHeartRate)
{
    auto module = make();
    EXPECT_EQ(why(module->decode(advertisement_of(k_v1, k_t0))), "not final: waiting for the 250 kHz packet");
    auto outcome = module->decode(advertisement_of(k_v2, k_t0 + 2s));
    const Reading* reading = reading_of(outcome);
    ASSERT_NE(reading, nullptr) << why(outcome);
    EXPECT_EQ(reading->module, "s400");
    EXPECT_EQ(reading->device_address, k_mac);
    EXPECT_EQ(reading->source, "hci0");
    EXPECT_EQ(reading->received_at, k_t0);  // the first packet's
    EXPECT_FALSE(reading->device_time);
    EXPECT_EQ(reading->fingerprint, "s400/1/67f726ed/699");
    const ScaleReading& scale = scale_of(outcome);
    EXPECT_DOUBLE_EQ(scale.weight_kg, 69.9);
    EXPECT_EQ(scale.impedance_ohm, 543);       // 543.2 Ω, 50 kHz
    EXPECT_EQ(scale.impedance_high_ohm, 498);  // 497.6 Ω, 250 kHz
    EXPECT_EQ(scale.heart_rate_bpm, 92);
    // The profile, under the [[users]] key the module declares for it.
    ASSERT_TRUE(reading->device_user);
    EXPECT_EQ(reading->device_user->key, "s400_profile_id");
    EXPECT_EQ(reading->device_user->id, 1);
    EXPECT_EQ(find_device_module("s400")->user_key.key, "s400_profile_id");
    EXPECT_EQ(find_device_module("s400")->user_key.max_id, 255);
}

TEST(S400Module, RepeatedFramesAreIgnored)
{
    auto module = make();
    (void)module->decode(advertisement_of(k_v1, k_t0));
    EXPECT_EQ(why(module->decode(advertisement_of(k_v1, k_t0 + 100ms))), "not final: repeated frame");
    EXPECT_EQ(why(module->decode(advertisement_of(k_v1, k_t0 + 200ms))), "not final: repeated frame");
    ASSERT_NE(reading_of(module->decode(advertisement_of(k_v2, k_t0 + 2s))), nullptr);
    // Replaying both frames reports nothing more, also after the grace time.
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(why(module->decode(advertisement_of(k_v1, k_t0 + 3s + i * 1s))),
                  "not final: repeated frame");
        EXPECT_EQ(why(module->decode(advertisement_of(k_v2, k_t0 + 3s + i * 1s))),
                  "not final: repeated frame");
    }
    EXPECT_EQ(why(module->decode(advertisement_of(nullptr, k_t0 + 1min))), "not mine");
}

TEST(S400Module, AReplayAfterTheRepeatMemoryIsTheSameWeighingAgain)
{
    // The module forgets frames after 10 minutes; the fingerprint lets the pipeline's persistent
    // duplicate check drop the weighing then (and after a restart).
    auto module = make();
    (void)module->decode(advertisement_of(k_v1, k_t0));
    const auto first = module->decode(advertisement_of(k_v2, k_t0 + 2s));
    ASSERT_NE(reading_of(first), nullptr);
    (void)module->decode(advertisement_of(k_v1, k_t0 + 11min));
    const auto again = module->decode(advertisement_of(k_v2, k_t0 + 11min + 2s));
    ASSERT_NE(reading_of(again), nullptr);
    EXPECT_EQ(reading_of(again)->fingerprint, reading_of(first)->fingerprint);
}

TEST(S400Module, TheFirstPacketAloneIsReportedOnAnAdvertisementAfterTheGraceTime)
{
    auto module = make();
    (void)module->decode(advertisement_of(k_v1, k_t0));
    EXPECT_EQ(why(module->decode(advertisement_of(k_idle, k_t0 + 9s))),
              "not final: idle frame without a measurement object");
    // Any advertisement of the scale ends the wait, even one without service data.
    auto outcome = module->decode(advertisement_of(nullptr, k_t0 + 10s));
    ASSERT_NE(reading_of(outcome), nullptr) << why(outcome);
    EXPECT_EQ(reading_of(outcome)->received_at, k_t0);
    EXPECT_EQ(reading_of(outcome)->fingerprint, "s400/1/67f726ed/699");
    EXPECT_EQ(scale_of(outcome).impedance_ohm, 543);
    EXPECT_FALSE(scale_of(outcome).impedance_high_ohm);
    EXPECT_EQ(scale_of(outcome).heart_rate_bpm, 92);
    // The late second packet adds nothing.
    EXPECT_EQ(why(module->decode(advertisement_of(k_v2, k_t0 + 12s))),
              "not final: 250 kHz packet without a weight packet");
}

TEST(S400Module, WhenTheScaleGoesQuietTheFirstPacketIsCollectedAtItsDeadline)
{
    auto module = make();
    EXPECT_FALSE(module->next_deadline());
    (void)module->decode(advertisement_of(k_v1, k_t0));
    ASSERT_EQ(module->next_deadline(), k_t0 + 10s);
    EXPECT_TRUE(module->collect(k_t0 + 9s, false).empty());
    const auto readings = module->collect(k_t0 + 10s, false);
    ASSERT_EQ(readings.size(), 1U);
    EXPECT_EQ(readings[0].fingerprint, "s400/1/67f726ed/699");
    EXPECT_EQ(std::get<ScaleReading>(readings[0].value).impedance_ohm, 543);
    EXPECT_FALSE(module->next_deadline());
    EXPECT_TRUE(module->collect(k_t0 + 20s, true).empty());
    // The weighing is reported once: its packets again are repeats.
    EXPECT_EQ(why(module->decode(advertisement_of(k_v1, k_t0 + 11s))), "not final: repeated frame");
}

TEST(S400Module, StoppingCollectsAnUnfinishedWeighingAtOnce)
{
    auto module = make();
    (void)module->decode(advertisement_of(k_v1, k_t0));
    const auto readings = module->collect(k_t0 + 1s, true);
    ASSERT_EQ(readings.size(), 1U);
    EXPECT_EQ(readings[0].received_at, k_t0);
    EXPECT_DOUBLE_EQ(std::get<ScaleReading>(readings[0].value).weight_kg, 69.9);
    EXPECT_FALSE(module->next_deadline());
}

TEST(S400Module, TheGraceTimeIsConfigurable)
{
    auto module = make(k_mac, k_key, 3);
    (void)module->decode(advertisement_of(k_v1, k_t0));
    EXPECT_FALSE(reading_of(module->decode(advertisement_of(k_idle, k_t0 + 2s))));
    EXPECT_TRUE(reading_of(module->decode(advertisement_of(k_idle, k_t0 + 3s))));
}

TEST(S400Module, SocksGiveAWeightOnlyReadingAtOnce)
{
    auto module = make(k_v3_mac, k_v3_key);
    auto outcome = module->decode(advertisement_of(k_v3, k_t0, k_v3_mac));
    ASSERT_NE(reading_of(outcome), nullptr) << why(outcome);
    EXPECT_DOUBLE_EQ(scale_of(outcome).weight_kg, 74.7);
    EXPECT_FALSE(scale_of(outcome).impedance_ohm);
    EXPECT_FALSE(scale_of(outcome).impedance_high_ohm);
    EXPECT_FALSE(scale_of(outcome).heart_rate_bpm);
    EXPECT_EQ(reading_of(outcome)->device_user->id, 1);
    EXPECT_EQ(why(module->decode(advertisement_of(k_v4, k_t0 + 5s, k_v3_mac))), "not final: stepped off");
}

TEST(S400Module, AuthenticationFailuresNameTheBindkeyOncePerBurst)
{
    auto module = make(k_mac, k_v3_key);  // the other scale's key
    const std::string first = why(module->decode(advertisement_of(k_v1, k_t0)));
    EXPECT_EQ(
        first,
        "error: S400 frame failed authentication (AES-CCM tag mismatch): the bindkey is wrong or stale — it "
        "changes when the scale is added to Xiaomi Home again; get the current one (docs/devices/s400.md); "
        "failing since 2025-04-10T02:03:25Z");
    // The same text for the rest of the burst, so the dispatcher logs it once…
    EXPECT_EQ(why(module->decode(advertisement_of(k_v2, k_t0 + 2s))), first);
    EXPECT_EQ(why(module->decode(advertisement_of(k_v1, k_t0 + 50s))), first);
    // …and a new line for the next weighing.
    const std::string next = why(module->decode(advertisement_of(k_v1, k_t0 + 50s + 61s)));
    EXPECT_NE(next, first);
    EXPECT_NE(next.find("failing since 2025-04-10T02:05:16Z"), std::string::npos) << next;
    EXPECT_EQ(next.find(k_v3_key), std::string::npos);
}

TEST(S400Module, TamperedAndTruncatedFramesAreErrors)
{
    auto module = make();
    std::string tampered = k_v1;
    tampered.back() = tampered.back() == '9' ? '8' : '9';  // last tag byte
    EXPECT_NE(why(module->decode(advertisement_of(tampered.c_str(), k_t0))).find("failed authentication"),
              std::string::npos);
    EXPECT_EQ(
        why(module->decode(advertisement_of("4859d53b0abc078f", k_t0))),
        "error: MiBeacon frame too short: 8 bytes, an encrypted object, extended counter and MIC need at "
        "least 15");
    // A tampered frame must not poison the genuine one with the same counter.
    EXPECT_EQ(why(module->decode(advertisement_of(k_v1, k_t0 + 1s))),
              "not final: waiting for the 250 kHz packet");
}

TEST(S400Module, OtherProductsAndServicesAreNotMine)
{
    auto module = make();
    EXPECT_EQ(why(module->decode(advertisement_of(k_s200, k_t0))), "not mine");
    Advertisement other = advertisement_of(nullptr, k_t0);
    other.service_data["0000181b-0000-1000-8000-00805f9b34fb"] = *parse_hex("0226b20705040f0201ac018642");
    EXPECT_EQ(why(module->decode(other)), "not mine");
}

TEST(S400Module, UnencryptedObjectFramesAreRefused)
{
    auto module = make();
    // FC 0x5940: v5, object included, not encrypted; the plaintext of V1 in the clear.
    EXPECT_EQ(why(module->decode(advertisement_of("4059d53b0a166e0901bb52e154ed26f767", k_t0))),
              "error: unencrypted object frame refused: a genuine S400 always encrypts");
}

TEST(S400Module, ASameCounterWithNewContentIsANewFrame)
{
    // After a battery change the counter starts again; only an identical frame is a repeat.
    auto module = make();
    (void)module->decode(advertisement_of(k_v1, k_t0));
    ASSERT_NE(reading_of(module->decode(advertisement_of(k_v2, k_t0 + 2s))), nullptr);
    const std::string other_a = seal(0x0a, "166e0901bb52e154ee26f767");  // counter 0x0a, time + 1 s
    EXPECT_EQ(why(module->decode(advertisement_of(other_a.c_str(), k_t0 + 30s))),
              "not final: waiting for the 250 kHz packet");
}

TEST(S400Module, ASecondReadingCompletedByTheSameAdvertisementIsDueAtOnce)
{
    // A socks weighing (V3's plaintext, sealed for this scale) while V1 still waits: decode()
    // returns V1's weighing, the socks one is due for collect() at once.
    auto module = make();
    (void)module->decode(advertisement_of(k_v1, k_t0));
    const std::string socks = seal(0x0c, "166e0901ebfa0300d50f186a");
    auto outcome = module->decode(advertisement_of(socks.c_str(), k_t0 + 5s));
    ASSERT_NE(reading_of(outcome), nullptr) << why(outcome);
    EXPECT_DOUBLE_EQ(scale_of(outcome).weight_kg, 69.9);
    ASSERT_TRUE(module->next_deadline());
    EXPECT_LE(*module->next_deadline(), k_t0 + 5s);
    const auto readings = module->collect(k_t0 + 5s, false);
    ASSERT_EQ(readings.size(), 1U);
    EXPECT_DOUBLE_EQ(std::get<ScaleReading>(readings[0].value).weight_kg, 74.7);
    EXPECT_FALSE(std::get<ScaleReading>(readings[0].value).impedance_ohm);
    EXPECT_FALSE(module->next_deadline());
}

TEST(S400Module, TheFrameCounterOrderDoesNotMatter)
{
    auto module = make();
    EXPECT_EQ(why(module->decode(advertisement_of(k_v2, k_t0))),
              "not final: 250 kHz packet without a weight packet");
    auto outcome = module->decode(advertisement_of(k_v1, k_t0 + 1s));
    ASSERT_NE(reading_of(outcome), nullptr) << why(outcome);
    EXPECT_EQ(scale_of(outcome).impedance_high_ohm, 498);
}

// --- describe (`ble2garmin decode s400 HEX --mac … --bindkey … --json`) -----------------------

std::string describe(const char* hex, const char* mac = k_mac, const char* key = k_key)
{
    auto module = make(mac, key);
    auto fields = module->describe("s400", *parse_hex(hex));
    return fields ? fields->dump() : "error: " + fields.error().message;
}

TEST(S400Describe, SpecVectors)
{
    EXPECT_EQ(describe(k_v1), R"({"profile_id":1,"weight_kg":69.9,"heart_rate_bpm":92,"impedance_ohm":543.2,)"
                              R"("impedance_high_ohm":null,"packet":"weight"})");
    EXPECT_EQ(describe(k_v2),
              R"({"profile_id":1,"weight_kg":null,"heart_rate_bpm":null,"impedance_ohm":null,)"
              R"("impedance_high_ohm":497.6,"packet":"impedance_high"})");
    EXPECT_EQ(describe(k_v3, k_v3_mac, k_v3_key),
              R"({"profile_id":1,"weight_kg":74.7,"heart_rate_bpm":null,"impedance_ohm":null,)"
              R"("impedance_high_ohm":null,"packet":"socks"})");
    EXPECT_EQ(describe(k_v4, k_v3_mac, k_v3_key),
              R"({"profile_id":1,"weight_kg":null,"heart_rate_bpm":null,"impedance_ohm":null,)"
              R"("impedance_high_ohm":null,"packet":"stepped_off"})");
    EXPECT_EQ(describe("95fe4859d53b3bde6bc8d05b51c0cdfd9021c9000000925c5039", "84:46:93:64:A5:E6",
                       "58305740b64e4b425e518aa1f4e51339"),
              R"({"profile_id":1,"weight_kg":73.2,"heart_rate_bpm":75,"impedance_ohm":414.3,)"
              R"("impedance_high_ohm":null,"packet":"weight"})");
}

TEST(S400Describe, FramesThatDoNotDecryptAreErrors)
{
    EXPECT_NE(describe(k_v1, k_mac, k_v3_key).find("error: S400 frame failed authentication"),
              std::string::npos);
    EXPECT_NE(describe(k_v1, k_v3_mac, k_key).find("error: S400 frame failed authentication"),
              std::string::npos);
    EXPECT_EQ(
        describe("4859d53b0a"),
        "error: MiBeacon frame too short: 5 bytes, an encrypted object, extended counter and MIC need at "
        "least 15");
    EXPECT_EQ(describe(k_idle), "error: idle frame without a measurement object");
    EXPECT_EQ(describe(k_s200),
              "error: product id 0x4C04 is not an S400 (MJTZC01YM/MJTZC03YM): it is an MJTZC02YM (S200)");
}

// --- create(): [devices.s400] ------------------------------------------------------------------

TEST(S400Config, ValidTables)
{
    EXPECT_EQ(create_error("[devices.s400]\nmac = \"8C:D0:B2:F6:BE:EF\"\nbindkey = \"" + std::string(k_key) +
                           "\"\n"),
              "created");
    EXPECT_EQ(create_error("[devices.s400]\nmac = \"8c-d0-b2-f6-be-ef\"\nbindkey = \"" +
                           std::string(k_key_upper) + "\"\nsession_grace_seconds = 60\n"),
              "created");
}

TEST(S400Config, ProblemsAreReportedAtTheirPlaceWithoutTheKey)
{
    const std::string head = "[devices.s400]\nmac = \"8C:D0:B2:F6:BE:EF\"\n";
    EXPECT_EQ(create_error(head),
              "file.toml:1:1: [devices.s400] needs 'bindkey' (32 hex digits from the Xiaomi cloud) or "
              "'bindkey_file': the S400 encrypts its readings (docs/devices/s400.md)");
    const std::string short_key(k_key, 31);
    const std::string message = create_error(head + "bindkey = \"" + short_key + "\"\n");
    EXPECT_EQ(message,
              "file.toml:3:11: 'devices.s400.bindkey' must hold exactly 32 hexadecimal digits (found 31 "
              "characters)");
    EXPECT_EQ(message.find(short_key), std::string::npos);
    EXPECT_EQ(create_error(head + "bindkey = 12\n"),
              "file.toml:3:11: 'devices.s400.bindkey' must be a string (found an integer)");
    EXPECT_EQ(create_error(head + "bindkey = \"" + k_key + "\"\nbindkey_file = \"/k\"\n"),
              "file.toml:4:16: set either 'devices.s400.bindkey' or 'devices.s400.bindkey_file', not both");
    EXPECT_EQ(create_error(head + "bindkey = \"" + k_key + "\"\nsession_grace_seconds = 0\n"),
              "file.toml:4:25: 'devices.s400.session_grace_seconds' must be from 1 to 60 (found 0)");
    EXPECT_EQ(create_error(head + "bindkey = \"" + k_key + "\"\nsession_grace_seconds = 61\n"),
              "file.toml:4:25: 'devices.s400.session_grace_seconds' must be from 1 to 60 (found 61)");
    EXPECT_EQ(create_error(head + "bindkey = \"" + k_key + "\"\nkey = 1\n"),
              "file.toml:4:1: unknown key 'key' in [devices.s400] (known keys: mac, bindkey, bindkey_file, "
              "session_grace_seconds)");
    EXPECT_EQ(create_error("[devices.s400]\nbindkey = \"" + std::string(k_key) + "\"\n"),
              "file.toml:1:1: [devices.s400] needs 'mac', the scale's Bluetooth address");
}

TEST(S400Config, TablesBuiltByTheDecodeCommandHaveNoPosition)
{
    auto created = find_device_module("s400")->create(toml::table{{"mac", k_mac}, {"bindkey", "00"}});
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().message,
              "'devices.s400.bindkey' must hold exactly 32 hexadecimal digits (found 2 characters)");
}

class S400BindkeyFile : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = m_temp.path();
        fs::create_directories(m_dir / "credentials");
        const char* saved = std::getenv("CREDENTIALS_DIRECTORY");
        m_saved = saved != nullptr ? std::optional<std::string>(saved) : std::nullopt;
        ::unsetenv("CREDENTIALS_DIRECTORY");
    }
    void TearDown() override
    {
        if (m_saved) {
            ::setenv("CREDENTIALS_DIRECTORY", m_saved->c_str(), 1);
        } else {
            ::unsetenv("CREDENTIALS_DIRECTORY");
        }
    }
    std::string config_path() const { return (m_dir / "ble2garmin.toml").string(); }
    std::string with_file(const std::string& file) const
    {
        return "[devices.s400]\nmac = \"8C:D0:B2:F6:BE:EF\"\nbindkey_file = \"" + file + "\"\n";
    }

    ble2garmin::testing_support::TempDir m_temp;
    fs::path m_dir;
    std::optional<std::string> m_saved;
};

TEST_F(S400BindkeyFile, AbsolutePathWithANewline)
{
    std::ofstream(m_dir / "key") << k_key << "\n";
    EXPECT_EQ(create_error(with_file((m_dir / "key").string()), config_path()), "created");
}

TEST_F(S400BindkeyFile, RelativePathIsNextToTheConfigFile)
{
    std::ofstream(m_dir / "s400_bindkey") << "  " << k_key_upper << "\r\n";
    EXPECT_EQ(create_error(with_file("s400_bindkey"), config_path()), "created");
}

TEST_F(S400BindkeyFile, RelativePathIsASystemdCredentialWhenThereAreCredentials)
{
    std::ofstream(m_dir / "credentials" / "s400_bindkey") << k_key;
    ::setenv("CREDENTIALS_DIRECTORY", (m_dir / "credentials").c_str(), 1);
    EXPECT_EQ(create_error(with_file("s400_bindkey"), config_path()), "created");
    // …and only there.
    std::ofstream(m_dir / "other") << k_key;
    EXPECT_NE(create_error(with_file("other"), config_path()).find("cannot read the bindkey"),
              std::string::npos);
}

TEST_F(S400BindkeyFile, ProblemsNameThePathButNeverTheContent)
{
    const std::string missing = create_error(with_file("missing"), config_path());
    EXPECT_EQ(missing.rfind(config_path() + ":3:16: 'devices.s400.bindkey_file' " +
                                (m_dir / "missing").string() + ": cannot read the bindkey: ",
                            0),
              0U)
        << missing;
    const std::string wrong(k_key, 30);
    std::ofstream(m_dir / "wrong") << wrong << "\n";
    const std::string message = create_error(with_file("wrong"), config_path());
    EXPECT_EQ(message, config_path() + ":3:16: 'devices.s400.bindkey_file' " + (m_dir / "wrong").string() +
                           ": the file must hold exactly 32 hexadecimal digits (found 30 characters)");
    EXPECT_EQ(message.find(wrong), std::string::npos);
    EXPECT_NE(create_error(with_file(""), config_path()).find("must not be empty"), std::string::npos);
}

}  // namespace
}  // namespace ble2garmin
