// [rowing]: the watch folder's keys, their checks (positions counted by hand) and the round trip.

#include <gtest/gtest.h>

#include "config/loader.hpp"

namespace ble2garmin::config {
namespace {

constexpr std::string_view k_modules[] = {"mi_scale"};

constexpr std::string_view k_users =
    "[[users]]\n"
    "name = \"adam\"\n"
    "sex = \"male\"\n"
    "height_cm = 172\n"
    "birth_date = 1984-04-02\n"
    "garmin_email = \"a@x\"\n"
    "min_weight_kg = 50\n"
    "max_weight_kg = 90\n"
    "[[users]]\n"
    "name = \"eve\"\n"
    "sex = \"female\"\n"
    "height_cm = 165\n"
    "birth_date = 1990-01-01\n"
    "min_weight_kg = 40\n"
    "max_weight_kg = 49\n";

Config load(const std::string& rowing)
{
    return parse(rowing + std::string(k_users), "file.toml", k_modules);
}

std::string error_of(const std::string& rowing)
{
    try {
        (void)load(rowing);
    } catch (const ConfigError& error) {
        return error.what();
    }
    ADD_FAILURE() << "no ConfigError for:\n" << rowing;
    return {};
}

TEST(RowingConfig, Defaults)
{
    const Config config = parse(std::string(k_users), "file.toml", k_modules);
    EXPECT_TRUE(config.rowing.watch_dir.empty());
    EXPECT_TRUE(config.rowing.user.empty());
    EXPECT_EQ(config.rowing.split_m, 500);
}

TEST(RowingConfig, EveryKey)
{
    const Config config = load("[rowing]\nwatch_dir = \"/srv/rowing\"\nuser = \"adam\"\nsplit_m = 1000\n");
    EXPECT_EQ(config.rowing.watch_dir, "/srv/rowing");
    EXPECT_EQ(config.rowing.user, "adam");
    EXPECT_EQ(config.rowing.split_m, 1000);
    // And what check-config prints reads back the same.
    const Config again = parse(to_toml(config), "rendered.toml", k_modules);
    EXPECT_EQ(again.rowing.watch_dir, config.rowing.watch_dir);
    EXPECT_EQ(again.rowing.user, config.rowing.user);
    EXPECT_EQ(again.rowing.split_m, config.rowing.split_m);
    EXPECT_NE(to_toml(Config{}).find("[rowing]\n# watch_dir is not set"), std::string::npos);
}

TEST(RowingConfig, Problems)
{
    EXPECT_EQ(error_of("[rowing]\nwatch_dir = \"rowing\"\nuser = \"adam\"\n"),
              "file.toml:2:13: 'rowing.watch_dir' must be an absolute path (found \"rowing\")");
    EXPECT_EQ(error_of("[rowing]\nwatch_dir = \"/srv/rowing\"\n"),
              "file.toml:1:1: missing required key in [rowing]: user");
    EXPECT_EQ(error_of("[rowing]\nwatch_dir = \"/srv/rowing\"\nuser = \"bob\"\n"),
              "file.toml:3:8: 'rowing.user' names no [[users]] entry (found \"bob\")");
    EXPECT_EQ(error_of("[rowing]\nwatch_dir = \"/srv/rowing\"\nuser = \"eve\"\n"),
              "file.toml:3:8: 'rowing.user' names a user without a garmin_email (\"eve\")");
    EXPECT_EQ(error_of("[rowing]\nsplit_m = 5\n"),
              "file.toml:2:11: 'rowing.split_m' must be between 10 and 100000 (found 5)");
    EXPECT_NE(error_of("[rowing]\nwatch_folder = \"/srv\"\n").find("watch_folder"), std::string::npos);
}

}  // namespace
}  // namespace ble2garmin::config
