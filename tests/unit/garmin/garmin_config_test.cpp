// [garmin]: defaults, domain-derived URLs, and every problem at file:line:column.

#include <gtest/gtest.h>

#include "config/loader.hpp"

namespace ble2garmin::config {
namespace {

constexpr std::string_view k_modules[] = {"mi_scale"};

std::string error_of(std::string_view text)
{
    try {
        (void)parse(text, "file.toml", k_modules);
    } catch (const ConfigError& error) {
        return error.what();
    }
    ADD_FAILURE() << "no ConfigError for:\n" << text;
    return {};
}

TEST(GarminConfig, Defaults)
{
    const Config config = parse("", "file.toml", k_modules);
    EXPECT_FALSE(config.garmin.enabled);
    EXPECT_EQ(config.garmin.domain, "garmin.com");
    EXPECT_EQ(config.garmin.api_base_url, "https://connectapi.garmin.com");
    EXPECT_EQ(config.garmin_token_dir(), std::filesystem::path("/var/lib/ble2garmin/garmin"));
    EXPECT_EQ(config.garmin_dry_run_directory(), std::filesystem::path("/var/lib/ble2garmin/garmin-dry-run"));
    ASSERT_EQ(config.garmin.client_ids.size(), 4U);
    EXPECT_EQ(config.garmin.client_ids[0], "GARMIN_CONNECT_MOBILE_ANDROID_DI_2025Q2");
    EXPECT_EQ(config.garmin.timeout_seconds, 60);
}

TEST(GarminConfig, DomainSetsTheBaseUrlsUnlessGiven)
{
    const Config config =
        parse("[garmin]\ndomain = \"garmin.cn\"\napi_base_url = \"https://localhost:8443/\"\n", "file.toml",
              k_modules);
    EXPECT_EQ(config.garmin.sso_base_url, "https://sso.garmin.cn");
    EXPECT_EQ(config.garmin.diauth_base_url, "https://diauth.garmin.cn");
    EXPECT_EQ(config.garmin.api_base_url, "https://localhost:8443");
}

TEST(GarminConfig, EveryKeyIsRead)
{
    const Config config = parse(
        "[garmin]\n"
        "enabled = true\n"
        "token_dir = \"/srv/tokens\"\n"
        "ca_file = \"/tmp/ca.pem\"\n"
        "user_agent = \"UA\"\n"
        "client_ids = [\"A\", \"B\"]\n"
        "dry_run = true\n"
        "dry_run_directory = \"dry\"\n"
        "timeout_seconds = 5\n"
        "oauth_consumer_key = \"k\"\n"
        "oauth_consumer_secret = \"s\"\n",
        "file.toml", k_modules);
    EXPECT_TRUE(config.garmin.enabled);
    EXPECT_EQ(config.garmin_token_dir(), std::filesystem::path("/srv/tokens"));
    EXPECT_EQ(config.garmin.ca_file, std::filesystem::path("/tmp/ca.pem"));
    EXPECT_EQ(config.garmin.user_agent, "UA");
    EXPECT_EQ(config.garmin.client_ids, (std::vector<std::string>{"A", "B"}));
    EXPECT_TRUE(config.garmin.dry_run);
    EXPECT_EQ(config.garmin_dry_run_directory(), std::filesystem::path("/var/lib/ble2garmin/dry"));
    EXPECT_EQ(config.garmin.timeout_seconds, 5);
    EXPECT_EQ(config.garmin.oauth_consumer_key, "k");
}

TEST(GarminConfig, ProblemsHavePositions)
{
    EXPECT_EQ(
        error_of("[garmin]\nenable = true\n").rfind("file.toml:2:1: unknown key 'enable' in [garmin]", 0),
        0U);
    EXPECT_EQ(error_of("[garmin]\nenabled = \"yes\"\n"),
              "file.toml:2:11: 'garmin.enabled' must be true or false (found a string)");
    EXPECT_EQ(error_of("[garmin]\ndomain = \"garmin.de\"\n")
                  .rfind("file.toml:2:10: 'garmin.domain' must be one of", 0),
              0U);
    EXPECT_EQ(error_of("[garmin]\napi_base_url = \"http://localhost\"\n"),
              "file.toml:2:16: 'garmin.api_base_url' must be an https:// URL (found \"http://localhost\")");
    EXPECT_EQ(error_of("[garmin]\nclient_ids = [\"A\", 3]\n"),
              "file.toml:2:20: 'garmin.client_ids' must hold only strings (found an integer)");
    EXPECT_EQ(error_of("[garmin]\nclient_ids = []\n"),
              "file.toml:2:14: 'garmin.client_ids' must list at least one client id, none of them empty");
    EXPECT_EQ(error_of("[garmin]\ntimeout_seconds = 0\n"),
              "file.toml:2:19: 'garmin.timeout_seconds' must be from 1 to 600 (found 0)");
    EXPECT_EQ(error_of("[garmin]\noauth_consumer_key = \"k\"\n")
                  .rfind("file.toml:2:22: 'garmin.oauth_consumer_key'", 0),
              0U);
    EXPECT_EQ(error_of("garmin = 1\n"), "file.toml:1:10: 'garmin' must be a table (found an integer)");
}

TEST(GarminConfig, RenderedTableReadsBackAndHidesTheConsumer)
{
    const Config original = parse(
        "[garmin]\nenabled = true\nclient_ids = [\"A\"]\noauth_consumer_key = \"k\"\n"
        "oauth_consumer_secret = \"very-secret\"\n",
        "file.toml", k_modules);
    const std::string text = to_toml(original);
    EXPECT_NE(text.find("[garmin]\nenabled = true\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("very-secret"), std::string::npos) << text;
    const Config back = parse(text, "rendered.toml", k_modules);
    EXPECT_TRUE(back.garmin.enabled);
    EXPECT_EQ(back.garmin.client_ids, original.garmin.client_ids);
    EXPECT_EQ(back.garmin.api_base_url, original.garmin.api_base_url);
    EXPECT_EQ(back.garmin.user_agent, original.garmin.user_agent);
}

}  // namespace
}  // namespace ble2garmin::config
