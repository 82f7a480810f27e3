#include "fit/activity_file.hpp"

#include <chrono>

#include <gtest/gtest.h>

#include "fit/crc.hpp"
#include "util/time.hpp"

namespace ble2garmin::fit {
namespace {

// 2024-03-10T08:00:00Z = FIT date_time 1710057600 − 631065600 = 1078992000 = 0x40501C80.
constexpr std::int64_t k_start_unix = 1'710'057'600;

ActivityFile one_lap_activity()
{
    ActivityFile activity;
    activity.time_created = from_unix_seconds(k_start_unix);
    activity.serial_number = 0x01020304;
    activity.session.start = from_unix_seconds(k_start_unix);
    activity.session.elapsed_ms = 60'000;
    activity.session.timer_ms = 60'000;
    activity.session.distance_cm = 25'000;
    activity.records = {{from_unix_seconds(k_start_unix), 0.0, 120, 20, 4.1, 200},
                        {from_unix_seconds(k_start_unix + 60), 250.0, {}, {}, {}, {}}};
    activity.laps = {{activity.session, k_lap_trigger_session_end, 2}};
    return activity;
}

TEST(ActivityFile, HeaderFileIdAndCrc)
{
    auto file = encode_activity_file(one_lap_activity());
    ASSERT_TRUE(file.ok()) << file.error().message;
    const Bytes& bytes = *file;
    ASSERT_GT(bytes.size(), 40u);
    // 14-byte header, protocol 1.0, profile 21.217 (0x52E1), data size, ".FIT", header CRC.
    EXPECT_EQ(bytes[0], 14);
    EXPECT_EQ(bytes[1], 0x10);
    EXPECT_EQ(bytes[2] | bytes[3] << 8, 21217);
    const std::uint32_t data_size =
        static_cast<std::uint32_t>(bytes[4]) | static_cast<std::uint32_t>(bytes[5]) << 8 |
        static_cast<std::uint32_t>(bytes[6]) << 16 | static_cast<std::uint32_t>(bytes[7]) << 24;
    EXPECT_EQ(data_size + 14 + 2, bytes.size());
    EXPECT_EQ(std::string(bytes.begin() + 8, bytes.begin() + 12), ".FIT");
    EXPECT_EQ(crc16(std::span(bytes.data(), 12)), bytes[12] | bytes[13] << 8);
    EXPECT_EQ(crc16(bytes), 0);  // the CRC over a file including its CRC is 0 (fit.md §1.2)

    // First record: the file_id definition (local 0, global 0, 5 fields) and its data.
    const Bytes file_id_definition{0x40, 0, 0, 0,    0, 5, 0,    1, 0x00, 1,   2,
                                   0x84, 2, 2, 0x84, 3, 4, 0x8C, 4, 4,    0x86};
    EXPECT_EQ(Bytes(bytes.begin() + 14, bytes.begin() + 14 + 21), file_id_definition);
    // type 4 (activity), manufacturer 255, product 1, serial 0x01020304, time_created 0x40501C80.
    const Bytes file_id{0x00, 4, 0xFF, 0x00, 0x01, 0x00, 0x04, 0x03, 0x02, 0x01, 0x80, 0x1C, 0x50, 0x40};
    EXPECT_EQ(Bytes(bytes.begin() + 35, bytes.begin() + 35 + 14), file_id);
}

TEST(ActivityFile, Refusals)
{
    ActivityFile activity = one_lap_activity();
    activity.laps.clear();
    EXPECT_FALSE(encode_activity_file(activity).ok());

    activity = one_lap_activity();
    activity.laps[0].records_before = 3;
    EXPECT_FALSE(encode_activity_file(activity).ok());

    activity = one_lap_activity();
    activity.records[0].time = from_unix_seconds(0);  // 1970: before FIT's date_time range
    auto refused = encode_activity_file(activity);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("record time"), std::string::npos) << refused.error().message;

    activity = one_lap_activity();
    activity.records[0].heart_rate = 300;  // does not fit uint8
    EXPECT_FALSE(encode_activity_file(activity).ok());
}

}  // namespace
}  // namespace ble2garmin::fit
