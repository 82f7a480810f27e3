// The gateway message (mqtt/gateway_payload.hpp): the documented example decodes to what it says, an
// advertisement survives the round trip, and every malformed message is refused with its reason.

#include "mqtt/gateway_payload.hpp"

#include <gtest/gtest.h>

#include "util/hex.hpp"

namespace ble2garmin::mqtt {
namespace {

TEST(GatewayPayload, TheDocumentedExample)
{
    auto advertisement = decode_gateway_advertisement(
        R"({"g":"bathroom","a":"c8:47:8c:a1:b2:c3","n":"MIBFS","r":-67,"t":1764745200123,)"
        R"("s":{"181b":"0226e9070b150c1e0bfa01e034"},"m":{"343":"0102"}})");
    ASSERT_TRUE(advertisement.ok()) << advertisement.error().message;
    EXPECT_EQ(advertisement->source, "mqtt:bathroom");
    EXPECT_EQ(advertisement->address, "C8:47:8C:A1:B2:C3");
    EXPECT_EQ(advertisement->name, "MIBFS");
    EXPECT_EQ(advertisement->rssi_dbm, -67);
    EXPECT_EQ(
        std::chrono::duration_cast<std::chrono::milliseconds>(advertisement->received_at.time_since_epoch())
            .count(),
        1764745200123);
    const Bytes service{0x02, 0x26, 0xe9, 0x07, 0x0b, 0x15, 0x0c, 0x1e, 0x0b, 0xfa, 0x01, 0xe0, 0x34};
    EXPECT_EQ(advertisement->service_data.at("0000181b-0000-1000-8000-00805f9b34fb"), service);
    EXPECT_EQ(advertisement->manufacturer_data.at(343), (Bytes{0x01, 0x02}));
}

TEST(GatewayPayload, RoundTrip)
{
    Advertisement advertisement;
    advertisement.address = "C8:47:8C:A1:B2:C3";
    advertisement.rssi_dbm = -80;
    advertisement.received_at = SystemTime(std::chrono::milliseconds(1764745200456));
    advertisement.service_data["0000181b-0000-1000-8000-00805f9b34fb"] = {0x02, 0x24};
    advertisement.service_data["0000fe95-0000-1000-8000-00805f9b34fb"] = {0x58, 0x58};
    advertisement.service_data["12345678-1234-5678-1234-56789abcdef0"] = {0x01};
    const std::string text = encode_gateway_advertisement(advertisement, "hall");
    // Short UUIDs for the Bluetooth base, no name when there is none.
    EXPECT_NE(text.find(R"("181b":"0224")"), std::string::npos) << text;
    EXPECT_EQ(text.find(R"("n")"), std::string::npos) << text;
    auto decoded = decode_gateway_advertisement(text);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->address, advertisement.address);
    EXPECT_EQ(decoded->rssi_dbm, advertisement.rssi_dbm);
    EXPECT_EQ(decoded->received_at, advertisement.received_at);
    EXPECT_EQ(decoded->service_data, advertisement.service_data);
    EXPECT_EQ(decoded->source, "mqtt:hall");
}

struct Bad {
    std::string payload;
    const char* reason;
};

class GatewayPayloadBad : public ::testing::TestWithParam<Bad> {};

TEST_P(GatewayPayloadBad, IsRefusedWithItsReason)
{
    auto advertisement = decode_gateway_advertisement(GetParam().payload);
    ASSERT_FALSE(advertisement.ok()) << GetParam().payload;
    EXPECT_NE(advertisement.error().message.find(GetParam().reason), std::string::npos)
        << advertisement.error().message;
}

const std::string k_head = R"({"g":"x","a":"C8:47:8C:A1:B2:C3","t":1764745200123,)";

INSTANTIATE_TEST_SUITE_P(
    MustFail, GatewayPayloadBad,
    ::testing::Values(
        Bad{"", "not a JSON object"}, Bad{"[1,2]", "not a JSON object"},
        Bad{R"({"a":"C8:47:8C:A1:B2:C3","t":1764745200123,"s":{"181b":"00"}})", "gateway name"},
        Bad{R"({"g":"a/b","a":"C8:47:8C:A1:B2:C3","t":1764745200123,"s":{"181b":"00"}})", "gateway name"},
        Bad{R"({"g":"x","a":"C8:47","t":1764745200123,"s":{"181b":"00"}})", "device address"},
        Bad{R"({"g":"x","a":"C8:47:8C:A1:B2:C3","s":{"181b":"00"}})", "receive time"},
        Bad{R"({"g":"x","a":"C8:47:8C:A1:B2:C3","t":1.5,"s":{"181b":"00"}})", "receive time"},
        Bad{k_head + R"("r":-500,"s":{"181b":"00"}})", "RSSI"},
        Bad{k_head + R"("s":{"nope":"00"}})", "not a UUID"}, Bad{k_head + R"("s":{"181b":"0g"}})", "not hex"},
        Bad{k_head + R"("s":{"181b":7}})", "not a hex string"},
        Bad{k_head + R"("s":{"181b":")" + std::string(512, 'a') + R"("}})", "longer than 255"},
        Bad{k_head + R"("m":{"70000":"00"}})", "company id"},
        Bad{k_head + R"("m":{"-1":"00"}})", "company id"},
        Bad{k_head + R"("n":5,"s":{"181b":"00"}})", "name"}, Bad{k_head + "}", "not a JSON object"},
        Bad{R"({"g":"x","a":"C8:47:8C:A1:B2:C3","t":1764745200123})", "neither"},
        Bad{std::string(5000, ' '), "longer than 4096"}));

}  // namespace
}  // namespace ble2garmin::mqtt
