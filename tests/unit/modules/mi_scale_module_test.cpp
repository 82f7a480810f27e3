// The Mi scale module as the dispatcher sees it: advertisements in, outcomes out.

#include <gtest/gtest.h>

#include "ble2garmin/device_module.hpp"

#include "util/hex.hpp"

namespace ble2garmin {
namespace {

using namespace std::chrono_literals;

constexpr const char* k_mac = "C8:47:8C:A1:B2:C3";
// One weighing at scale clock 2026-11-21 07:12:03, 62.00 kg (raw 12400), impedance 500.
constexpr const char* k_settling = "0204ea070b15070c010000ae2e";
constexpr const char* k_stable = "0224ea070b15070c0300007030";
constexpr const char* k_with_impedance = "0226ea070b15070c03f4017030";
constexpr const char* k_removed_with_impedance = "02a6ea070b15070c03f4017030";
constexpr const char* k_removed_without_impedance = "02a4ea070b15070c0300007030";

const SystemTime k_t0 = SystemTime{} + 1'795'245'123s;

class MiScaleModule : public ::testing::Test {
protected:
    void SetUp() override
    {
        const auto* descriptor = find_device_module("mi_scale");
        ASSERT_NE(descriptor, nullptr);
        toml::table options{{"mac", k_mac}, {"weight_only_after_seconds", 10}};
        auto created = descriptor->create(options);
        ASSERT_TRUE(created.ok()) << created.error().message;
        m_module = std::move(*created);
    }

    DecodeOutcome feed(const char* hex, SystemTime at,
                       const char* uuid = "0000181b-0000-1000-8000-00805f9b34fb")
    {
        Advertisement advertisement;
        advertisement.address = k_mac;
        advertisement.received_at = at;
        advertisement.source = "test";
        advertisement.service_data[uuid] = *parse_hex(hex);
        return m_module->decode(advertisement);
    }

    std::unique_ptr<DeviceModule> m_module;
};

const ScaleReading& scale_of(const DecodeOutcome& outcome)
{
    return std::get<ScaleReading>(std::get<Reading>(outcome).value);
}

TEST_F(MiScaleModule, StableFramesWaitForTheImpedance)
{
    EXPECT_TRUE(std::holds_alternative<NotFinal>(feed(k_settling, k_t0)));
    EXPECT_TRUE(std::holds_alternative<NotFinal>(feed(k_stable, k_t0 + 1s)));
    EXPECT_TRUE(std::holds_alternative<NotFinal>(feed(k_stable, k_t0 + 2s)));
    auto outcome = feed(k_with_impedance, k_t0 + 4s);
    ASSERT_TRUE(std::holds_alternative<Reading>(outcome));
    EXPECT_DOUBLE_EQ(scale_of(outcome).weight_kg, 62.0);
    EXPECT_EQ(scale_of(outcome).impedance_ohm, 500);
    const Reading& reading = std::get<Reading>(outcome);
    EXPECT_EQ(reading.module, "mi_scale2");
    EXPECT_EQ(reading.device_address, k_mac);
    ASSERT_TRUE(reading.device_time);
    EXPECT_EQ(reading.device_time->time_since_epoch(), 1'795'245'123s);  // 2026-11-21T07:12:03Z
    // The same weighing re-advertised after stepping off is not a new measurement.
    EXPECT_TRUE(std::holds_alternative<NotFinal>(feed(k_removed_with_impedance, k_t0 + 6s)));
    EXPECT_TRUE(std::holds_alternative<NotFinal>(feed(k_stable, k_t0 + 30s)));
}

TEST_F(MiScaleModule, WeightOnlyAfterTheGraceTime)
{
    EXPECT_TRUE(std::holds_alternative<NotFinal>(feed(k_stable, k_t0)));
    EXPECT_TRUE(std::holds_alternative<NotFinal>(feed(k_stable, k_t0 + 9s)));
    auto outcome = feed(k_stable, k_t0 + 10s);
    ASSERT_TRUE(std::holds_alternative<Reading>(outcome));
    EXPECT_DOUBLE_EQ(scale_of(outcome).weight_kg, 62.0);
    EXPECT_FALSE(scale_of(outcome).impedance_ohm);
}

TEST_F(MiScaleModule, SteppingOffEndsAWeightOnlyWeighing)
{
    EXPECT_TRUE(std::holds_alternative<NotFinal>(feed(k_stable, k_t0)));
    auto outcome = feed(k_removed_without_impedance, k_t0 + 2s);
    ASSERT_TRUE(std::holds_alternative<Reading>(outcome));
    EXPECT_FALSE(scale_of(outcome).impedance_ohm);
}

TEST_F(MiScaleModule, SteppingOffAfterAMissedImpedanceFrameKeepsTheImpedance)
{
    EXPECT_TRUE(std::holds_alternative<NotFinal>(feed(k_stable, k_t0)));
    auto outcome = feed(k_removed_with_impedance, k_t0 + 5s);
    ASSERT_TRUE(std::holds_alternative<Reading>(outcome));
    EXPECT_EQ(scale_of(outcome).impedance_ohm, 500);
}

TEST_F(MiScaleModule, RemovedFramesAloneAreNotFinal)
{
    auto outcome = feed(k_removed_with_impedance, k_t0);
    ASSERT_TRUE(std::holds_alternative<NotFinal>(outcome));
    EXPECT_EQ(std::get<NotFinal>(outcome).why, "load removed");
}

TEST_F(MiScaleModule, WeightOnlyAndImpedanceReportsShareTheFingerprint)
{
    auto weight_only = feed(k_stable, k_t0);
    weight_only = feed(k_stable, k_t0 + 11s);
    ASSERT_TRUE(std::holds_alternative<Reading>(weight_only));
    auto with_impedance = feed(k_with_impedance, k_t0 + 12s);
    ASSERT_TRUE(std::holds_alternative<Reading>(with_impedance));
    EXPECT_EQ(std::get<Reading>(weight_only).fingerprint, std::get<Reading>(with_impedance).fingerprint);
}

TEST_F(MiScaleModule, ObjectModeAndUnstableFramesAreNotFinal)
{
    EXPECT_TRUE(std::holds_alternative<NotFinal>(feed("0624e607020e10293a0000fc03", k_t0)));
    EXPECT_TRUE(std::holds_alternative<NotFinal>(feed("0204b207010112101a0000a852", k_t0)));
}

TEST_F(MiScaleModule, OtherServiceDataIsNotMine)
{
    EXPECT_TRUE(std::holds_alternative<NotMine>(feed("4859d53b0abc078ff2348c844138e930220000009e538599", k_t0,
                                                     "0000fe95-0000-1000-8000-00805f9b34fb")));
}

TEST_F(MiScaleModule, MalformedFrameIsADecodeError)
{
    auto outcome = feed("0226ea070b1507190000f401", k_t0);
    ASSERT_TRUE(std::holds_alternative<DecodeError>(outcome));
    EXPECT_NE(std::get<DecodeError>(outcome).reason.find("13 bytes"), std::string::npos);
}

TEST_F(MiScaleModule, ScaleV1StableFrameIsAReadingAtOnce)
{
    auto outcome = feed("223e30e607020e10293a", k_t0, "0000181d-0000-1000-8000-00805f9b34fb");
    ASSERT_TRUE(std::holds_alternative<Reading>(outcome));
    EXPECT_DOUBLE_EQ(scale_of(outcome).weight_kg, 61.8);  // 61.75 kg recorded half-up
    EXPECT_EQ(std::get<Reading>(outcome).module, "mi_scale1");
}

TEST(MiScaleModuleConfig, RejectsUnknownKeysAndBadValuesWithPosition)
{
    const auto* descriptor = find_device_module("mi_scale");
    ASSERT_NE(descriptor, nullptr);
    auto table = toml::parse(std::string_view("mac = \"C8:47:8C:A1:B2:C3\"\nbindkey = \"00\"\n"),
                             std::string_view("scale.toml"));
    auto unknown = descriptor->create(table);
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message.find("scale.toml:2:1"), std::string::npos) << unknown.error().message;
    auto range = descriptor->create(
        toml::parse(std::string_view("weight_only_after_seconds = 0\n"), std::string_view("scale.toml")));
    ASSERT_FALSE(range.ok());
    EXPECT_NE(range.error().message.find("scale.toml:1:29"), std::string::npos) << range.error().message;
}

}  // namespace
}  // namespace ble2garmin
