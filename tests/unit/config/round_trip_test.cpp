// to_toml() writes every key so that parse() reads back the same Config.

#include <gtest/gtest.h>

#include "config/loader.hpp"

namespace ble2garmin::config {
namespace {

constexpr std::string_view k_modules[] = {"mi_scale", "omron", "s400"};
constexpr DeviceUserKey k_user_keys[] = {{"s400_profile_id", 255}};

void expect_same(const Config& a, const Config& b)
{
    EXPECT_EQ(a.general.state_directory, b.general.state_directory);
    EXPECT_EQ(a.general.timezone, b.general.timezone);
    EXPECT_EQ(a.general.log_level, b.general.log_level);
    EXPECT_EQ(a.storage.miscale_csv, b.storage.miscale_csv);
    EXPECT_EQ(a.storage.omron_csv, b.storage.omron_csv);
    EXPECT_EQ(a.pipeline.duplicate_window_seconds, b.pipeline.duplicate_window_seconds);
    EXPECT_EQ(a.pipeline.scale_clock, b.pipeline.scale_clock);
    EXPECT_EQ(a.pipeline.scale_clock_tolerance_seconds, b.pipeline.scale_clock_tolerance_seconds);
    EXPECT_EQ(a.pipeline.scale_clock_offset_seconds, b.pipeline.scale_clock_offset_seconds);
    EXPECT_EQ(a.bluetooth.adapter, b.bluetooth.adapter);
    EXPECT_EQ(a.bluetooth.silence_restart_seconds, b.bluetooth.silence_restart_seconds);
    ASSERT_EQ(a.users.size(), b.users.size());
    for (std::size_t i = 0; i < a.users.size(); ++i) {
        EXPECT_EQ(a.users[i].name, b.users[i].name);
        EXPECT_EQ(a.users[i].sex, b.users[i].sex);
        EXPECT_EQ(a.users[i].height_cm, b.users[i].height_cm);  // exact: no precision may be lost
        EXPECT_EQ(a.users[i].birth_date, b.users[i].birth_date);
        EXPECT_EQ(a.users[i].garmin_email, b.users[i].garmin_email);
        EXPECT_EQ(a.users[i].min_weight_kg, b.users[i].min_weight_kg);
        EXPECT_EQ(a.users[i].max_weight_kg, b.users[i].max_weight_kg);
        EXPECT_EQ(a.users[i].device_user_ids, b.users[i].device_user_ids);
        EXPECT_EQ(a.users[i].device_user_ids_by_address, b.users[i].device_user_ids_by_address);
    }
    ASSERT_EQ(a.devices.size(), b.devices.size());
    for (std::size_t i = 0; i < a.devices.size(); ++i) {
        EXPECT_EQ(a.devices[i].module, b.devices[i].module);
        EXPECT_EQ(a.devices[i].mac, b.devices[i].mac);
        EXPECT_TRUE(a.devices[i].options == b.devices[i].options) << i;
    }
}

TEST(ConfigRoundTrip, DefaultsReadBackUnchanged)
{
    const Config defaults;
    const std::string text = to_toml(defaults);
    EXPECT_NE(text.find("duplicate_window_seconds = 1800"), std::string::npos) << text;
    EXPECT_NE(text.find("scale_clock = \"auto\""), std::string::npos) << text;
    expect_same(parse(text, "rendered.toml", k_modules), defaults);
}

TEST(ConfigRoundTrip, EveryKeyReadsBackUnchanged)
{
    const Config original = parse(
        "[general]\n"
        "state_directory = \"/srv/ble2garmin \\\"quoted\\\"\"\n"
        "timezone = \"\"\n"
        "log_level = \"trace\"\n"
        "[storage]\n"
        "miscale_csv = \"/home/pi/export2garmin/user/miscale_backup.csv\"\n"
        "omron_csv = \"omron/ciśnienie.csv\"\n"
        "[pipeline]\n"
        "duplicate_window_seconds = 0\n"
        "scale_clock = \"scale\"\n"
        "scale_clock_tolerance_seconds = 31622400\n"
        "scale_clock_offset_seconds = -7200\n"
        "[bluetooth]\n"
        "adapter = \"00:1A:7D:DA:71:13\"\n"
        "silence_restart_seconds = 0\n"
        "[[users]]\n"
        "name = \"Zoë\"\n"
        "sex = \"female\"\n"
        "height_cm = 163.3\n"
        "birth_date = \"1990-11-17\"\n"
        "garmin_email = \"zoe@example.com\"\n"
        "min_weight_kg = 0.1\n"
        "max_weight_kg = 64.99999999999999\n"
        "s400_profile_id = 0\n"
        "[[users]]\n"
        "name = \"jan\"\n"
        "sex = \"male\"\n"
        "height_cm = 220\n"
        "birth_date = 1950-01-31\n"
        "min_weight_kg = 80\n"
        "max_weight_kg = 80\n"
        "s400_profile_id = { \"aa:bb:cc:dd:ee:01\" = 255, \"AA-BB-CC-DD-EE-02\" = 3 }\n"
        "[[devices.mi_scale]]\n"
        "mac = \"c8:47:8c:00:00:01\"\n"
        "weight_only_after_seconds = 7\n"
        "[[devices.mi_scale]]\n"
        "mac = \"C8-47-8C-00-00-02\"\n"
        "name = \"guest bathroom\"\n"
        "[devices.omron]\n"
        "mac = \"AA:BB:CC:DD:EE:FF\"\n"
        "slots = [1, 2]\n"
        "calibration = { offset = 1.25, enabled = true }\n",
        "original.toml", k_modules, k_user_keys);
    const std::string text = to_toml(original);
    const Config again = parse(text, "rendered.toml", k_modules, k_user_keys);
    expect_same(again, original);
    // Rendering is a fixed point.
    EXPECT_EQ(to_toml(again), text);
    EXPECT_EQ(again.devices.at(0).mac, "C8:47:8C:00:00:01");
    EXPECT_EQ(again.users.at(0).device_user_id("s400_profile_id"), 0);
    EXPECT_EQ(again.users.at(1).device_user_id("s400_profile_id", "AA:BB:CC:DD:EE:01"), 255);
    EXPECT_EQ(again.users.at(1).device_user_id("s400_profile_id", "AA:BB:CC:DD:EE:02"), 3);
    EXPECT_FALSE(again.users.at(1).device_user_id("s400_profile_id"));
}

TEST(ConfigRoundTrip, UsersWithoutAProfileIdHaveNone)
{
    const Config config = parse(
        "[[users]]\nname = \"a\"\nsex = \"male\"\nheight_cm = 180\nbirth_date = 1980-01-01\n"
        "min_weight_kg = 60\nmax_weight_kg = 90\n",
        "original.toml", k_modules, k_user_keys);
    EXPECT_FALSE(config.users.at(0).device_user_id("s400_profile_id"));
    EXPECT_EQ(to_toml(config).find("s400_profile_id"), std::string::npos);
}

TEST(ConfigRoundTrip, TheBindkeyIsNeverRendered)
{
    const std::string key = "0728974d657a4b60964c1b1677f35f7c";
    const Config original = parse(
        "[[devices.s400]]\n"
        "mac = \"8c:d0:b2:f6:be:ef\"\n"
        "bindkey = \"0728974d657a4b60964c1b1677f35f7c\"\n"
        "session_grace_seconds = 20\n"
        "[[devices.s400]]\n"
        "mac = \"8c:d0:b2:f6:be:f0\"\n"
        "bindkey_file = \"s400_bindkey\"\n",
        "original.toml", k_modules, k_user_keys);
    ASSERT_EQ(original.devices.at(0).options["bindkey"].value<std::string>(), key);
    const std::string text = to_toml(original);
    EXPECT_EQ(text.find(key), std::string::npos) << text;
    EXPECT_NE(text.find("# bindkey is set but not shown: check-config never prints a secret"),
              std::string::npos)
        << text;
    const Config again = parse(text, "rendered.toml", k_modules, k_user_keys);
    ASSERT_EQ(again.devices.size(), 2U);
    EXPECT_EQ(again.devices[0].mac, "8C:D0:B2:F6:BE:EF");
    EXPECT_EQ(again.devices[0].options.get("bindkey"), nullptr);
    EXPECT_EQ(again.devices[0].options["session_grace_seconds"].value<int>(), 20);
    // A file name is no secret: it is shown, and the rendered text still reads it.
    EXPECT_EQ(again.devices[1].options["bindkey_file"].value<std::string>(), "s400_bindkey");
}

}  // namespace
}  // namespace ble2garmin::config
