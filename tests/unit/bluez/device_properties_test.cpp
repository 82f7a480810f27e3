// The Device1 property parser against well-formed and wrongly typed dictionaries.

#include "bluez/device_properties.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace ble2garmin::bluez {
namespace {

using ByteArray = std::vector<std::uint8_t>;

TEST(DeviceProperties, ReadsAllAdvertisementFields)
{
    const std::map<std::string, sdbus::Variant> service{
        {"0000181B-0000-1000-8000-00805F9B34FB", sdbus::Variant(ByteArray{0x02, 0x26})}};
    const std::map<std::uint16_t, sdbus::Variant> manufacturer{{0x020e, sdbus::Variant(ByteArray{0x01})}};
    const PropertyMap properties{
        {"Address", sdbus::Variant(std::string("c8:47:8c:a1:b2:c3"))},
        {"Name", sdbus::Variant(std::string("MIBFS"))},
        {"RSSI", sdbus::Variant(std::int16_t{-64})},
        {"ServiceData", sdbus::Variant(service)},
        {"ManufacturerData", sdbus::Variant(manufacturer)},
        {"Paired", sdbus::Variant(false)},
    };
    const auto update = parse_device_properties(properties);
    EXPECT_TRUE(update.problems.empty());
    EXPECT_EQ(update.address, "C8:47:8C:A1:B2:C3");
    EXPECT_EQ(update.name, "MIBFS");
    EXPECT_EQ(update.rssi_dbm, -64);
    ASSERT_TRUE(update.service_data);
    EXPECT_EQ(update.service_data->at("0000181b-0000-1000-8000-00805f9b34fb"), (Bytes{0x02, 0x26}));
    ASSERT_TRUE(update.manufacturer_data);
    EXPECT_EQ(update.manufacturer_data->at(0x020e), (Bytes{0x01}));
    EXPECT_TRUE(update.has_payload());
}

TEST(DeviceProperties, WrongTypesAreProblemsNotExceptions)
{
    // python-dbusmock's AddDevice initialises ServiceData as aa{sv} and ManufacturerData as aa{qv}.
    const std::vector<std::map<std::string, sdbus::Variant>> wrong_service{};
    const PropertyMap properties{
        {"ServiceData", sdbus::Variant(wrong_service)},
        {"ManufacturerData", sdbus::Variant(std::string("nope"))},
        {"RSSI", sdbus::Variant(std::int32_t{-64})},
        {"Address", sdbus::Variant(std::string("not a mac"))},
    };
    const auto update = parse_device_properties(properties);
    EXPECT_FALSE(update.has_payload());
    EXPECT_FALSE(update.rssi_dbm);
    EXPECT_FALSE(update.address);
    ASSERT_EQ(update.problems.size(), 4u);
    const bool named =
        std::any_of(update.problems.begin(), update.problems.end(), [](const std::string& problem) {
            return problem.find("ServiceData has type aa{sv}, expected a{sv}") != std::string::npos;
        });
    EXPECT_TRUE(named) << update.problems[0];
}

TEST(DeviceProperties, InnerValuesThatAreNotByteArraysAreSkipped)
{
    const std::map<std::string, sdbus::Variant> service{
        {"0000181b-0000-1000-8000-00805f9b34fb", sdbus::Variant(std::string("text"))},
        {"0000181d-0000-1000-8000-00805f9b34fb", sdbus::Variant(ByteArray{0x22})},
        {"not-a-uuid", sdbus::Variant(ByteArray{0x00})},
    };
    const auto update = parse_device_properties({{"ServiceData", sdbus::Variant(service)}});
    ASSERT_TRUE(update.service_data);
    EXPECT_EQ(update.service_data->size(), 1u);
    EXPECT_EQ(update.service_data->count("0000181d-0000-1000-8000-00805f9b34fb"), 1u);
    EXPECT_EQ(update.problems.size(), 2u);
}

TEST(DeviceProperties, PathsGiveAddressAndAdapter)
{
    EXPECT_EQ(address_from_device_path("/org/bluez/hci0/dev_C8_47_8C_A1_B2_C3"), "C8:47:8C:A1:B2:C3");
    EXPECT_EQ(address_from_device_path("/org/bluez/hci0"), "");
    EXPECT_EQ(address_from_device_path("/org/bluez/hci0/dev_C8_47_8C_A1_B2_C3/service0001"), "");
    EXPECT_EQ(adapter_from_path("/org/bluez/hci1/dev_C8_47_8C_A1_B2_C3"), "hci1");
    EXPECT_EQ(adapter_from_path("/org/bluez/hci0"), "hci0");
    EXPECT_EQ(adapter_from_path("/com/example"), "");
}

}  // namespace
}  // namespace ble2garmin::bluez
