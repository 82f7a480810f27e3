// [mqtt]: every key, the defaults, the round trip through check-config's rendering, and the checks
// with their file:line:column (positions counted by hand).

#include <gtest/gtest.h>

#include "config/loader.hpp"

namespace ble2garmin::config {
namespace {

constexpr std::string_view k_modules[] = {"mi_scale"};

Config load(const std::string& text)
{
    return parse(text, "file.toml", k_modules);
}

std::string error_of(const std::string& text)
{
    try {
        (void)load(text);
    } catch (const ConfigError& error) {
        return error.what();
    }
    ADD_FAILURE() << "no ConfigError for:\n" << text;
    return {};
}

TEST(MqttConfig, OffByDefaultOnWithTheTable)
{
    EXPECT_FALSE(load("").mqtt.enabled);
    const Config config = load("[mqtt]\n");
    EXPECT_TRUE(config.mqtt.enabled);
    EXPECT_EQ(config.mqtt.host, "localhost");
    EXPECT_EQ(config.mqtt.port, 1883);
    EXPECT_EQ(config.mqtt.protocol, "5");
    EXPECT_EQ(config.mqtt.topic_prefix, "miscale");  // xiaomi_mi_scale's default
    EXPECT_EQ(config.mqtt.discovery_prefix, "homeassistant");
    EXPECT_EQ(config.mqtt.esp32_topic, "data");  // export2garmin's sketch
    EXPECT_EQ(config.mqtt.role, MqttRole::standalone);
    EXPECT_FALSE(config.mqtt.tls);
}

TEST(MqttConfig, EveryKeyAndTheRoundTrip)
{
    const Config config = load(
        "[mqtt]\nenabled = true\nhost = \"broker.lan\"\nport = 8883\nprotocol = \"3.1.1\"\nclient_id = "
        "\"pi\"\n"
        "username = \"scale\"\npassword_credential = \"mqtt\"\ntls = true\nca_file = \"/etc/ca.pem\"\n"
        "cert_file = \"/etc/c.pem\"\nkey_file = \"/etc/c.key\"\nkeepalive_seconds = 30\n"
        "reconnect_min_seconds = 2\nreconnect_max_seconds = 60\ntopic_prefix = \"home/scale\"\nretain = "
        "false\n"
        "flat_topics = true\ndiscovery = false\ndiscovery_prefix = \"ha\"\nrole = \"hub\"\n"
        "gateway_name = \"attic\"\ngateway_topic = \"gw\"\nesp32 = true\nesp32_topic = \"esp/data\"\n"
        "esp32_scale_mac = \"c8-47-8c-a1-b2-c3\"\n");
    const MqttConfig& m = config.mqtt;
    EXPECT_EQ(m.host, "broker.lan");
    EXPECT_EQ(m.port, 8883);
    EXPECT_EQ(m.protocol, "3.1.1");
    EXPECT_EQ(m.password_credential, "mqtt");
    EXPECT_EQ(m.cert_file, "/etc/c.pem");
    EXPECT_EQ(m.reconnect_max_seconds, 60);
    EXPECT_EQ(m.topic_prefix, "home/scale");
    EXPECT_FALSE(m.retain);
    EXPECT_TRUE(m.flat_topics);
    EXPECT_EQ(m.role, MqttRole::hub);
    EXPECT_EQ(m.esp32_scale_mac, "C8:47:8C:A1:B2:C3");
    const Config again = parse(to_toml(config), "rendered.toml", k_modules);
    EXPECT_EQ(again.mqtt.host, m.host);
    EXPECT_EQ(again.mqtt.password_credential, m.password_credential);
    EXPECT_EQ(again.mqtt.role, m.role);
    EXPECT_EQ(again.mqtt.esp32_topic, m.esp32_topic);
    EXPECT_EQ(again.mqtt.key_file, m.key_file);
    EXPECT_EQ(to_toml(again), to_toml(config));
}

TEST(MqttConfig, ProblemsWithTheirPositions)
{
    EXPECT_NE(error_of("[mqtt]\nport = 0\n").find("file.toml:2:8:"), std::string::npos);
    EXPECT_NE(error_of("[mqtt]\nprotocol = \"4\"\n").find("file.toml:2:12:"), std::string::npos);
    EXPECT_NE(error_of("[mqtt]\ntopic_prefix = \"a/#\"\n")
                  .find("file.toml:2:16: 'mqtt.topic_prefix' must be an MQTT topic"),
              std::string::npos);
    EXPECT_NE(error_of("[mqtt]\nrole = \"relay\"\n").find("file.toml:2:8:"), std::string::npos);
    EXPECT_NE(error_of("[mqtt]\nbroker = \"x\"\n").find("file.toml:2:1:"), std::string::npos);
    EXPECT_NE(error_of("[mqtt]\npassword_file = \"/p\"\n").find("needs 'mqtt.username'"), std::string::npos);
    EXPECT_NE(
        error_of("[mqtt]\nusername = \"u\"\npassword_file = \"/p\"\npassword_credential = \"c\"\n")
            .find("file.toml:4:23: 'mqtt.password_credential' and 'mqtt.password_file' exclude each other"),
        std::string::npos);
    EXPECT_NE(error_of("[mqtt]\ncert_file = \"/c\"\n").find("'mqtt.cert_file' needs its partner"),
              std::string::npos);
    EXPECT_NE(error_of("[mqtt]\ngateway_name = \"a/b\"\n").find("file.toml:2:16:"), std::string::npos);
    EXPECT_NE(error_of("[mqtt]\nesp32_scale_mac = \"x\"\n").find("file.toml:2:19:"), std::string::npos);
    EXPECT_NE(error_of("[mqtt]\nrole = \"gateway\"\nesp32 = true\n").find("file.toml:3:9:"),
              std::string::npos);
    EXPECT_NE(
        error_of("[mqtt]\nreconnect_min_seconds = 10\nreconnect_max_seconds = 5\n").find("file.toml:3:25:"),
        std::string::npos);
    EXPECT_NE(error_of("[mqtt]\npassword_credential = \"../x\"\nusername = \"u\"\n").find("not a path"),
              std::string::npos);
    EXPECT_NE(error_of("mqtt = 5\n").find("file.toml:1:8: 'mqtt' must be a table"), std::string::npos);
}

}  // namespace
}  // namespace ble2garmin::config
