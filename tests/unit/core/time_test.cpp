#include "util/time.hpp"

#include <gtest/gtest.h>

namespace ble2garmin {
namespace {

TEST(UtcFromFields, ConvertsAValidDateAndTime)
{
    // 2024-07-15T20:50:54Z is Unix 1721076654 (body-composition.md §8 vector 1).
    const auto time = utc_from_fields(2024, 7, 15, 20, 50, 54);
    ASSERT_TRUE(time.ok());
    EXPECT_EQ(to_unix_seconds(*time), 1'721'076'654);
}

TEST(UtcFromFields, RejectsYearsAScaleClockCanClaimButNoClockCanHold)
{
    // A Mi Scale's 16-bit year field can say 0 or 65535; converting those to nanoseconds since
    // 1970 would overflow, so they are reported as invalid instead.
    for (const int year : {0, 26, 1677, 1899, 2201, 2263, 9999, 65535}) {
        const auto time = utc_from_fields(year, 1, 1, 0, 0, 0);
        EXPECT_FALSE(time.ok()) << year;
    }
    EXPECT_TRUE(utc_from_fields(1900, 1, 1, 0, 0, 0).ok());
    EXPECT_TRUE(utc_from_fields(2200, 12, 31, 23, 59, 59).ok());
}

TEST(UtcFromFields, RejectsOutOfRangeFields)
{
    EXPECT_FALSE(utc_from_fields(2024, 2, 30, 0, 0, 0).ok());
    EXPECT_FALSE(utc_from_fields(2024, 13, 1, 0, 0, 0).ok());
    EXPECT_FALSE(utc_from_fields(2024, 1, 1, 24, 0, 0).ok());
    EXPECT_FALSE(utc_from_fields(2024, 1, 1, 0, 60, 0).ok());
    EXPECT_FALSE(utc_from_fields(2024, 1, 1, 0, 0, 60).ok());
}

TEST(LocalFormats, FollowTheProcessTimeZoneAcrossDaylightSaving)
{
    ASSERT_TRUE(use_time_zone("Europe/Warsaw").ok());
    // 2024-07-15T20:50:54Z is 22:50:54 in summer time (+02:00); 2024-01-15T23:30:00Z is already the
    // 16th in winter time (+01:00).
    EXPECT_EQ(format_iso_naive_local(from_unix_seconds(1'721'076'654)), "2024-07-15T22:50:54");
    EXPECT_EQ(format_iso_date_local(from_unix_seconds(1'705'361'400)), "2024-01-16");
    EXPECT_EQ(format_iso_naive_utc(from_unix_seconds(1'705'361'400)), "2024-01-15T23:30:00");
    ASSERT_TRUE(use_time_zone("UTC").ok());
    EXPECT_EQ(format_iso_date_local(from_unix_seconds(1'705'361'400)), "2024-01-15");
}

TEST(DescribeDuration, WordsAUserReadsAtAGlance)
{
    using std::chrono::seconds;
    EXPECT_EQ(describe_duration(seconds(45)), "45 s");
    EXPECT_EQ(describe_duration(seconds(-45)), "45 s");
    EXPECT_EQ(describe_duration(seconds(720)), "12 minutes");
    EXPECT_EQ(describe_duration(seconds(19'800)), "5.5 hours");      // 5 h 30 min
    EXPECT_EQ(describe_duration(seconds(259'200)), "3.0 days");      // 72 h
    EXPECT_EQ(describe_duration(seconds(7'889'400)), "3.0 months");  // a quarter of 365.25 days
    // The scale: 75,151,150 s / 31,557,600 s per year = 2.381 years.
    EXPECT_EQ(describe_duration(seconds(-75'151'150)), "2.4 years");
}

}  // namespace
}  // namespace ble2garmin
