// [mqtt] that loads but cannot work: check-config's warnings.

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "app/config_warnings.hpp"
#include "tests/unit/temp_dir.hpp"

namespace ble2garmin::app {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::TempDir;

TEST(MqttConfigWarnings, PasswordFileOthersCanReadAndMissingTlsFiles)
{
    TempDir dir;
    const auto secret = dir / "mqtt-password";
    std::ofstream(secret) << "s3cret\n";
    ::chmod(secret.c_str(), 0644);
    Config config;
    config.general.state_directory = dir.path();
    config.mqtt.enabled = true;
    config.mqtt.username = "scale";
    config.mqtt.password_file = secret;
    config.mqtt.ca_file = "missing-ca.pem";
    const auto warnings = config_warnings(config);
    EXPECT_THAT(warnings, Contains(AllOf(HasSubstr(secret.string()), HasSubstr("chmod 600"))));
    EXPECT_THAT(warnings, Contains(HasSubstr((dir / "missing-ca.pem").string())));
    for (const auto& warning : warnings) {
        EXPECT_THAT(warning, Not(HasSubstr("s3cret")));
    }
    ::chmod(secret.c_str(), 0600);
    EXPECT_THAT(config_warnings(config), Not(Contains(HasSubstr("mqtt-password"))));
}

TEST(MqttConfigWarnings, AGatewayNeedsDevicesButNoUsers)
{
    Config config;
    config.mqtt.enabled = true;
    config.mqtt.role = MqttRole::gateway;
    const auto warnings = config_warnings(config);
    EXPECT_THAT(warnings, Contains(HasSubstr("relays the advertisements of its [devices.*]")));
    EXPECT_THAT(warnings, Not(Contains(HasSubstr("no user is configured"))));
    config.mqtt.role = MqttRole::hub;
    EXPECT_THAT(config_warnings(config), Contains(HasSubstr("no user is configured")));
}

}  // namespace
}  // namespace ble2garmin::app
