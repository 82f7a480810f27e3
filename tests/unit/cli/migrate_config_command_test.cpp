// `ble2garmin migrate-config --output … --check` on realistic export2garmin configurations
// (tests/data/export2garmin: the upstream default layout with one change each), then
// `check-config` on the result: every one loads, uploads are on where a user has an account, and
// the adapter, Garmin domain, S400 and Omron settings arrive where ble2garmin reads them.

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "cli_test_support.hpp"

namespace ble2garmin::cli {
namespace {

namespace fs = std::filesystem;

using testing_support::CommandRun;
using testing_support::read_file;

class MigrateConfig : public testing_support::CliTest {
protected:
    struct Migrated {
        CommandRun migrate;
        std::string toml;       // the migrated file
        std::string effective;  // `check-config` of it: every value as ble2garmin reads it
    };

    Migrated migrate(const std::string& fixture)
    {
        Migrated result;
        const fs::path output = m_dir / "ble2garmin.toml";
        result.migrate = run("migrate-config " BLE2GARMIN_TEST_DATA_DIR "/export2garmin/" + fixture +
                             " --output " + output.string() + " --check");
        result.toml = read_file(output);
        const CommandRun check = run("check-config --config " + output.string());
        EXPECT_EQ(check.exit_code, 0) << check.err;
        result.effective = check.out;
        return result;
    }

    static bool contains(const std::string& text, const std::string& part)
    {
        return text.find(part) != std::string::npos;
    }
};

TEST_F(MigrateConfig, UpstreamLayoutWithS400AndMiScaleOnTheSameAddress)
{
    const auto result = migrate("export2garmin.cfg");
    ASSERT_EQ(result.migrate.exit_code, 0) << result.migrate.err;
    EXPECT_TRUE(contains(result.migrate.err, "check-config: configuration OK")) << result.migrate.err;
    EXPECT_TRUE(contains(result.effective, "enabled = true")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "adapter = \"hci0\"")) << result.effective;
    // export2garmin reads ble_miscale_mac as the S400 when switch_s400=on: the S400 is the device.
    EXPECT_TRUE(contains(result.effective,
                         "[[devices.s400]]\nbindkey_file = \"s400_bindkey\"\nmac = \"C8:47:8C:9A:12:34\""))
        << result.effective;
    EXPECT_FALSE(contains(result.effective, "devices.mi_scale")) << result.effective;
    EXPECT_TRUE(contains(result.toml, "# [devices.mi_scale]\n# mac = \"C8:47:8C:9A:12:34\"")) << result.toml;
    // The bindkey is in its own file, 0600, and nowhere else.
    const fs::path bindkey = m_dir / "s400_bindkey";
    EXPECT_EQ(read_file(bindkey), "0123456789abcdef0123456789abcdef\n");
    EXPECT_EQ(fs::status(bindkey).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    for (const auto* text : {&result.toml, &result.effective, &result.migrate.err, &result.migrate.out}) {
        EXPECT_FALSE(contains(*text, "0123456789abcdef0123456789abcdef"));
    }
}

TEST_F(MigrateConfig, FamilyWithOmronOnASecondAdapterAndUsCategories)
{
    const auto result = migrate("configs/family_omron.cfg");
    ASSERT_EQ(result.migrate.exit_code, 0) << result.migrate.err;
    EXPECT_TRUE(contains(result.effective, "adapter = \"hci1\"")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "enabled = true")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "blood_pressure_category = \"us\"")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "[[devices.mi_scale]]\nmac = \"5C:CA:D3:11:22:33\""))
        << result.effective;
    EXPECT_TRUE(contains(result.effective, "garmin_email = \"piotr@example.com\"")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "name = \"user3\"")) << result.effective;
    // The Omron cuff is a device of its own, and each slot's account became that user's omron_slot
    // (user1 piotr ← slot 1, user2 ewa ← slot 2); check-config loads it with the Omron module.
    EXPECT_TRUE(
        contains(result.effective, "[[devices.omron]]\nmac = \"00:5F:BF:AA:BB:CC\"\nmodel = \"hem-7361t\""))
        << result.effective;
    EXPECT_TRUE(contains(result.effective,
                         "garmin_email = \"piotr@example.com\"\nmin_weight_kg = 76.0\n"
                         "max_weight_kg = 95.0\nomron_slot = 1\n"))
        << result.effective;
    EXPECT_TRUE(contains(result.effective,
                         "garmin_email = \"ewa@example.com\"\nmin_weight_kg = 55.0\n"
                         "max_weight_kg = 75.0\nomron_slot = 2\n"))
        << result.effective;
    EXPECT_TRUE(contains(result.migrate.err, "switch_omron=on: [devices.omron] is active"))
        << result.migrate.err;
    EXPECT_FALSE(contains(result.migrate.err, "omron_export_user")) << result.migrate.err;
    EXPECT_FALSE(contains(result.effective, "devices.s400")) << result.effective;
    EXPECT_FALSE(fs::exists(m_dir / "s400_bindkey"));
}

TEST_F(MigrateConfig, S400InChinaWithAdaptersChosenByAddress)
{
    const auto result = migrate("configs/s400_china.cfg");
    ASSERT_EQ(result.migrate.exit_code, 0) << result.migrate.err;
    EXPECT_TRUE(contains(result.effective, "adapter = \"00:1A:7D:DA:71:13\"")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "domain = \"garmin.cn\"")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "sso_base_url = \"https://sso.garmin.cn\"")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "enabled = true")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "mac = \"84:46:93:0A:1B:2C\"")) << result.effective;
    EXPECT_EQ(read_file(m_dir / "s400_bindkey"), "0728974D657A4B60964C1B1677F35F7C\n");
    // One adapter serves every device: the S400's own adapter is explained, not carried.
    EXPECT_TRUE(contains(result.migrate.err, "switch_s400_hci=on")) << result.migrate.err;
    EXPECT_TRUE(contains(result.migrate.err, "s400_pulse is not migrated")) << result.migrate.err;
}

TEST_F(MigrateConfig, Esp32OverMqttWithAClockOffsetAndCrLfLines)
{
    const auto result = migrate("configs/esp32_mqtt.cfg");
    ASSERT_EQ(result.migrate.exit_code, 0) << result.migrate.err;
    EXPECT_TRUE(contains(result.effective, "enabled = true")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "scale_clock_offset_seconds = 3600")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "scale_clock_tolerance_seconds = 600")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "max_weight_kg = 69.9")) << result.effective;
    // The ESP32 feed: [mqtt] with esp32 on the local broker, the user carried, the password not.
    EXPECT_TRUE(contains(result.effective, "[mqtt]\nenabled = true\nhost = \"localhost\""))
        << result.effective;
    EXPECT_TRUE(contains(result.effective, "username = \"scale\"")) << result.effective;
    EXPECT_TRUE(contains(result.effective, "esp32 = true")) << result.effective;
    EXPECT_TRUE(contains(result.migrate.err, "switch_mqtt=on: [mqtt] takes in the ESP32 feed"))
        << result.migrate.err;
    for (const auto* text : {&result.toml, &result.effective, &result.migrate.err}) {
        EXPECT_FALSE(contains(*text, "very secret"));
    }
}

TEST_F(MigrateConfig, ToStdoutTheBindkeyStaysInTheToml)
{
    const CommandRun result =
        run("migrate-config " BLE2GARMIN_TEST_DATA_DIR "/export2garmin/configs/s400_china.cfg --check");
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_TRUE(contains(result.out, "bindkey = \"0728974D657A4B60964C1B1677F35F7C\"")) << result.out;
    EXPECT_TRUE(contains(result.err, "check-config: configuration OK")) << result.err;
}

TEST_F(MigrateConfig, ADirectoryOrAnEndlessFileIsNamedAsSuch)
{
    const CommandRun directory = run("migrate-config " + m_dir.string());
    EXPECT_EQ(directory.exit_code, 1);
    EXPECT_TRUE(contains(directory.err, m_dir.string() + ": it is a directory, not a file")) << directory.err;
    const CommandRun endless = run("migrate-config /dev/zero");
    EXPECT_EQ(endless.exit_code, 1);
    EXPECT_TRUE(contains(endless.err, "/dev/zero: it is larger than 1 MiB")) << endless.err;
}

}  // namespace
}  // namespace ble2garmin::cli
