// export2garmin's ESP32 payload (shared/spec/export2garmin-compat.md §3): the manual's example and
// must-fail payloads, one per rule.

#include "mqtt/esp32_payload.hpp"

#include <gtest/gtest.h>

namespace ble2garmin::mqtt {
namespace {

TEST(Esp32Payload, TheManualsExample)
{
    // [E2G] manuals/Miscale_ESP32.md: 1672412076;58.4;521;3.5;5
    auto reading = parse_esp32_payload("1672412076;58.4;521;3.5;5");
    ASSERT_TRUE(reading.ok()) << reading.error().message;
    EXPECT_EQ(reading->unix_time, 1672412076);
    EXPECT_DOUBLE_EQ(reading->weight_kg, 58.4);
    EXPECT_EQ(reading->impedance_ohm, 521);
    EXPECT_DOUBLE_EQ(reading->battery_volts, 3.5);
    EXPECT_EQ(reading->battery_percent, 5);
}

TEST(Esp32Payload, ToleratesTheNewlineOfAHandTypedMessage)
{
    EXPECT_TRUE(parse_esp32_payload("1672412076;58.4;521;3.5;5\n").ok());
    EXPECT_TRUE(parse_esp32_payload("1672412076;58;521;4;100\r\n").ok());
}

struct Bad {
    const char* payload;
    const char* reason;
};

class Esp32PayloadBad : public ::testing::TestWithParam<Bad> {};

TEST_P(Esp32PayloadBad, IsRefusedWithItsReason)
{
    auto reading = parse_esp32_payload(GetParam().payload);
    ASSERT_FALSE(reading.ok()) << GetParam().payload;
    EXPECT_NE(reading.error().message.find(GetParam().reason), std::string::npos) << reading.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    MustFail, Esp32PayloadBad,
    ::testing::Values(
        Bad{"", "empty"}, Bad{"1672412076;58.4;521;3.5", "5 fields"},
        Bad{"1672412076;58.4;521;3.5;5;1", "5 fields"}, Bad{"abc;58.4;521;3.5;5", "unix time"},
        Bad{"-1672412076;58.4;521;3.5;5", "unix time"}, Bad{"99;58.4;521;3.5;5", "unix time"},
        Bad{"1672412076;58,4;521;3.5;5", "weight"}, Bad{"1672412076;0;521;3.5;5", "weight"},
        Bad{"1672412076;150.5;521;3.5;5", "weight"}, Bad{"1672412076;5e1;521;3.5;5", "weight"},
        Bad{"1672412076;58.4;0;3.5;5", "impedance"}, Bad{"1672412076;58.4;52.1;3.5;5", "impedance"},
        Bad{"1672412076;58.4;65535;3.5;5", "impedance"}, Bad{"1672412076;58.4;521;;5", "battery volts"},
        Bad{"1672412076;58.4;521;3.5;101", "battery percent"},
        Bad{"1672412076;58.4;521;3.5;-5", "battery percent"},
        Bad{"1672412076;58.4;521;3.5;5 extra text that makes it far too long for the five fields",
            "too long"}));

}  // namespace
}  // namespace ble2garmin::mqtt
