#include "replay/replay_file.hpp"

#include <gtest/gtest.h>

namespace ble2garmin::replay {
namespace {

TEST(ReplayFile, ParsesServiceAndManufacturerDataWithComments)
{
    const auto file = parse_replay(
        "# header\n"
        "\n"
        "2026-11-21T07:12:03Z  c8:47:8c:a1:b2:c3  181b  0226ea070b15070c03f4017030  -64  # trailing "
        "comment\r\n"
        "2026-11-21T08:12:03+01:00 C8:47:8C:A1:B2:C3 mfr:020e 0102\n"
        "2026-11-21T07:12:04Z C8:47:8C:A1:B2:C3 0000fe95-0000-1000-8000-00805f9b34fb 00\n");
    ASSERT_TRUE(file.problems.empty()) << file.problems.front().reason;
    ASSERT_EQ(file.advertisements.size(), 3u);
    const auto& first = file.advertisements[0];
    EXPECT_EQ(first.address, "C8:47:8C:A1:B2:C3");
    EXPECT_EQ(first.received_at.time_since_epoch(), std::chrono::seconds(1'795'245'123));
    EXPECT_EQ(first.rssi_dbm, -64);
    EXPECT_EQ(first.service_data.at("0000181b-0000-1000-8000-00805f9b34fb").size(), 13u);
    EXPECT_EQ(file.advertisements[1].received_at, first.received_at);  // +01:00 offset
    EXPECT_EQ(file.advertisements[1].manufacturer_data.at(0x020e), (Bytes{0x01, 0x02}));
    EXPECT_EQ(file.advertisements[2].service_data.count("0000fe95-0000-1000-8000-00805f9b34fb"), 1u);
}

TEST(ReplayFile, BadLinesAreReportedWithTheirNumberAndSkipped)
{
    const auto file = parse_replay(
        "2026-11-21 C8:47:8C:A1:B2:C3 181b 00\n"
        "2026-11-21T07:12:03Z C8:47:8C:A1:B2 181b 00\n"
        "2026-11-21T07:12:03Z C8:47:8C:A1:B2:C3 18 00\n"
        "2026-11-21T07:12:03Z C8:47:8C:A1:B2:C3 181b 0g\n"
        "2026-11-21T07:12:03Z C8:47:8C:A1:B2:C3 mfr:12345 00\n"
        "2026-11-21T07:12:03Z C8:47:8C:A1:B2:C3 181b 00 loud\n"
        "2026-11-21T07:12:03Z C8:47:8C:A1:B2:C3 181b\n"
        "2026-11-21T07:12:03Z C8:47:8C:A1:B2:C3 181b 0226\n");
    EXPECT_EQ(file.advertisements.size(), 1u);
    ASSERT_EQ(file.problems.size(), 7u);
    for (std::size_t i = 0; i < file.problems.size(); ++i) {
        EXPECT_EQ(file.problems[i].line, i + 1);
        EXPECT_FALSE(file.problems[i].reason.empty());
    }
}

}  // namespace
}  // namespace ble2garmin::replay
