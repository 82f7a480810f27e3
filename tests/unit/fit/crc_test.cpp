#include "fit/crc.hpp"

#include <string_view>

#include <gtest/gtest.h>

#include "tests/unit/fit/fit_test_support.hpp"

namespace ble2garmin::fit {
namespace {

using test::bytes_of;

TEST(FitCrc, CheckValueOfCrc16Arc)
{
    // fit.md §1.3: CRC-16/ARC check value.
    constexpr std::string_view text = "123456789";
    const Bytes bytes(text.begin(), text.end());
    EXPECT_EQ(crc16(bytes), 0xBB3D);
}

TEST(FitCrc, EmptyInputKeepsTheStartValue)
{
    EXPECT_EQ(crc16({}), 0x0000);
    EXPECT_EQ(crc16({}, 0x1234), 0x1234);
}

TEST(FitCrc, CanBeComputedInPieces)
{
    const Bytes bytes = bytes_of("0e10e152c60000002e464954");
    const std::span<const std::uint8_t> all(bytes);
    EXPECT_EQ(crc16(all.subspan(5), crc16(all.first(5))), crc16(all));
}

TEST(FitCrc, HeaderCrcOfA14ByteHeader)
{
    // Bytes 0..11 of a 14-byte header: size 14, protocol 1.0, profile 21217, 198 data bytes, ".FIT".
    // 0x0F5F was computed with a bitwise CRC-16/ARC outside this code base.
    EXPECT_EQ(crc16(bytes_of("0e10e152c60000002e464954")), 0x0F5F);
}

TEST(FitCrc, CrcOfAFileIncludingItsCrcIsZero)
{
    // fit.md §4.2 (vector B): the trailing CRC 0x3D6C, stored little-endian, zeroes the total.
    const Bytes file = bytes_of(
        "0c106c00c60000002e46495440000000000603048c0404860102840202840502840001000000000000f8920740ffffffff"
        "ffff0941000031000200028401010201ffffff42000017000cfd048603048c0704860804860202840402840502840a0284"
        "0001020101020601020b010202f892074000000000ffffffffffffffffffffffffffffffffffffffff4300001e000dfd04"
        "860002840102840202840302840402840502840702840902840801020a01020b01020d028403f8920740761b3a079015ff"
        "ff3601cc0b0019ffff052307e0006c3d");
    ASSERT_EQ(file.size(), 212u);
    const std::span<const std::uint8_t> all(file);
    EXPECT_EQ(crc16(all.first(210)), 0x3D6C);
    EXPECT_EQ(crc16(all), 0x0000);
}

}  // namespace
}  // namespace ble2garmin::fit
