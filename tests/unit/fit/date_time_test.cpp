#include "fit/date_time.hpp"

#include <gtest/gtest.h>

#include "util/time.hpp"

namespace ble2garmin::fit {
namespace {

SystemTime utc(int year, int month, int day, int hour, int minute, int second)
{
    auto time = utc_from_fields(year, month, day, hour, minute, second);
    EXPECT_TRUE(time.ok());
    return time.ok() ? *time : SystemTime{};
}

TEST(FitDateTime, CountsSecondsSinceTheLastDayOf1989)
{
    // body-composition.md §8 vector 1: Unix 1721076654 = 2024-07-15T20:50:54Z -> 0x40F83FAE.
    const auto measured = to_date_time(from_unix_seconds(1'721'076'654));
    ASSERT_TRUE(measured.ok()) << measured.error().message;
    EXPECT_EQ(*measured, 0x40F8'3FAEu);
    EXPECT_EQ(*measured, 1'721'076'654u - 631'065'600u);

    // fit.md §4.2 (vector B): 2024-01-15T07:30:00Z -> 0x400792F8.
    const auto vector_b = to_date_time(utc(2024, 1, 15, 7, 30, 0));
    ASSERT_TRUE(vector_b.ok());
    EXPECT_EQ(*vector_b, 0x4007'92F8u);
}

TEST(FitDateTime, EpochIsUtcMidnightOfDecember31st1989)
{
    EXPECT_EQ(from_unix_seconds(k_fit_epoch_unix), utc(1989, 12, 31, 0, 0, 0));
    EXPECT_EQ(from_date_time(0x40F8'3FAE), from_unix_seconds(1'721'076'654));
}

TEST(FitDateTime, DropsFractionsOfASecond)
{
    const SystemTime time = from_unix_seconds(1'721'076'654) + std::chrono::milliseconds(999);
    const auto converted = to_date_time(time);
    ASSERT_TRUE(converted.ok());
    EXPECT_EQ(*converted, 0x40F8'3FAEu);
}

TEST(FitDateTime, RejectsTimesThatWouldReadAsRelativeOrInvalid)
{
    // Below 0x10000000 a date_time means "seconds since power-up" (fit.md §1.9).
    EXPECT_FALSE(to_date_time(from_unix_seconds(k_fit_epoch_unix + 0x0FFF'FFFF)).ok());
    EXPECT_TRUE(to_date_time(from_unix_seconds(k_fit_epoch_unix + 0x1000'0000)).ok());
    EXPECT_FALSE(to_date_time(SystemTime{}).ok());  // 1970
    // 0xFFFFFFFF is the invalid value.
    EXPECT_TRUE(to_date_time(from_unix_seconds(k_fit_epoch_unix + 0xFFFF'FFFE)).ok());
    EXPECT_FALSE(to_date_time(from_unix_seconds(k_fit_epoch_unix + 0xFFFF'FFFF)).ok());
}

}  // namespace
}  // namespace ble2garmin::fit
