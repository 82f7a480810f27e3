// config/ble2garmin.toml.example must load, modules included, and set every key the loader knows.

#include <gtest/gtest.h>

#include "app/load_config.hpp"
#include "config/loader.hpp"

namespace ble2garmin::config {
namespace {

const std::filesystem::path k_example = BLE2GARMIN_TEST_DATA_DIR "/../../config/ble2garmin.toml.example";

TEST(ConfigExampleFile, LoadsWithEveryDeviceModule)
{
    Config config;
    try {
        config = app::load_config(k_example);
    } catch (const ConfigError& error) {
        FAIL() << error.what();
    }
    ASSERT_EQ(config.users.size(), 1U);
    EXPECT_FALSE(config.users[0].garmin_email.empty());
    ASSERT_EQ(config.devices.size(), 1U);
    EXPECT_EQ(config.devices[0].module, "mi_scale");
}

TEST(ConfigExampleFile, ShowsTheDefaults)
{
    const auto names = app::module_names();
    const Config example = load_file(k_example, names, app::device_user_keys());
    const Config defaults;
    EXPECT_EQ(example.general.state_directory, defaults.general.state_directory);
    EXPECT_EQ(example.general.timezone, defaults.general.timezone);
    EXPECT_EQ(example.general.log_level, defaults.general.log_level);
    EXPECT_EQ(example.storage.miscale_csv, defaults.storage.miscale_csv);
    EXPECT_EQ(example.storage.omron_csv, defaults.storage.omron_csv);
    EXPECT_EQ(example.pipeline.duplicate_window_seconds, defaults.pipeline.duplicate_window_seconds);
    EXPECT_EQ(example.pipeline.scale_clock, defaults.pipeline.scale_clock);
    EXPECT_EQ(example.pipeline.scale_clock_tolerance_seconds,
              defaults.pipeline.scale_clock_tolerance_seconds);
    EXPECT_EQ(example.pipeline.scale_clock_offset_seconds, defaults.pipeline.scale_clock_offset_seconds);
    EXPECT_EQ(example.garmin.enabled, defaults.garmin.enabled);
    EXPECT_EQ(example.garmin.token_dir, defaults.garmin.token_dir);
    EXPECT_EQ(example.garmin.domain, defaults.garmin.domain);
    EXPECT_EQ(example.garmin.sso_base_url, defaults.garmin.sso_base_url);
    EXPECT_EQ(example.garmin.api_base_url, defaults.garmin.api_base_url);
    EXPECT_EQ(example.garmin.diauth_base_url, defaults.garmin.diauth_base_url);
    EXPECT_EQ(example.garmin.ca_file, defaults.garmin.ca_file);
    EXPECT_EQ(example.garmin.user_agent, defaults.garmin.user_agent);
    EXPECT_EQ(example.garmin.client_ids, defaults.garmin.client_ids);
    EXPECT_EQ(example.garmin.dry_run, defaults.garmin.dry_run);
    EXPECT_EQ(example.garmin.dry_run_directory, defaults.garmin.dry_run_directory);
    EXPECT_EQ(example.garmin.timeout_seconds, defaults.garmin.timeout_seconds);
    EXPECT_EQ(example.garmin.oauth_consumer_url, defaults.garmin.oauth_consumer_url);
    EXPECT_EQ(example.rowing.watch_dir, defaults.rowing.watch_dir);
    EXPECT_EQ(example.rowing.split_m, defaults.rowing.split_m);
}

}  // namespace
}  // namespace ble2garmin::config
