#include "rowing/xsd_date_time.hpp"

#include <gtest/gtest.h>

namespace ble2garmin::rowing {
namespace {

// Expected Unix times computed by hand (days since 1970 × 86400 + time of day), checked with
// Python's datetime.
TEST(XsdDateTime, CoxswainFormatWithMillisecondsAndZ)
{
    auto time = parse_xsd_date_time_ms("2020-11-24T13:46:36.000Z");
    ASSERT_TRUE(time.ok()) << time.error().message;
    EXPECT_EQ(*time, 1'606'225'596'000);
}

TEST(XsdDateTime, NumericOffsetIsConvertedToUtc)
{
    EXPECT_EQ(*parse_xsd_date_time_ms("2024-03-10T09:00:00+01:00"), 1'710'057'600'000);
    EXPECT_EQ(*parse_xsd_date_time_ms("2024-03-10T03:30:00-04:30"), 1'710'057'600'000);
}

TEST(XsdDateTime, WithoutZoneIsUtcAndFractionsAreKeptToTheMillisecond)
{
    EXPECT_EQ(*parse_xsd_date_time_ms("2024-03-10T08:00:00"), 1'710'057'600'000);
    EXPECT_EQ(*parse_xsd_date_time_ms(" 2024-03-10T08:00:00.5Z\n"), 1'710'057'600'500);
    EXPECT_EQ(*parse_xsd_date_time_ms("2024-03-10T08:00:00.123456Z"), 1'710'057'600'123);
    EXPECT_EQ(*parse_xsd_date_time_ms("2000-02-29T23:59:59Z"), 951'868'799'000);
}

TEST(XsdDateTime, RejectsWhatIsNotADateTime)
{
    for (const char* bad : {"", "2024-03-10", "2024-03-10 08:00:00Z", "2024-02-30T08:00:00Z",
                            "2024-03-10T24:00:00Z", "2024-03-10T08:00:00.Z", "2024-03-10T08:00:00+1:00",
                            "2024-03-10T08:00:00Zjunk", "1969-12-31T23:59:59Z", "2201-01-01T00:00:00Z",
                            "4048-03-10T08:00:00Z", "２０２４-03-10T08:00:00Z"}) {
        EXPECT_FALSE(parse_xsd_date_time_ms(bad).ok()) << bad;
    }
    EXPECT_NE(parse_xsd_date_time_ms("2024-02-30T08:00:00Z").error().message.find("no such date"),
              std::string::npos);
}

}  // namespace
}  // namespace ble2garmin::rowing
