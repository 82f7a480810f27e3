#include <chrono>

#include <gtest/gtest.h>

#include "body/composition.hpp"

namespace ble2garmin::body {
namespace {

using namespace std::chrono;

constexpr year_month_day date(int y, unsigned m, unsigned d)
{
    return year{y} / month{m} / day{d};
}

TEST(BodyAge, CountsCompletedYears)
{
    // §8 vector 1's user: born 1984, measured 15 July 2024.
    EXPECT_EQ(age_on(date(1984, 4, 2), date(2024, 7, 15)), 40);
    EXPECT_EQ(age_on(date(1984, 12, 31), date(2024, 7, 15)), 39);
}

TEST(BodyAge, BirthdayCountsOnTheDayItself)
{
    EXPECT_EQ(age_on(date(1984, 7, 15), date(2024, 7, 14)), 39);
    EXPECT_EQ(age_on(date(1984, 7, 15), date(2024, 7, 15)), 40);
    EXPECT_EQ(age_on(date(1984, 7, 15), date(2024, 7, 16)), 40);
    EXPECT_EQ(age_on(date(1984, 7, 15), date(1984, 7, 15)), 0);
}

TEST(BodyAge, LeapDayBirthdayCountsOnFirstOfMarchInCommonYears)
{
    EXPECT_EQ(age_on(date(2000, 2, 29), date(2023, 2, 28)), 22);
    EXPECT_EQ(age_on(date(2000, 2, 29), date(2023, 3, 1)), 23);
    EXPECT_EQ(age_on(date(2000, 2, 29), date(2024, 2, 28)), 23);
    EXPECT_EQ(age_on(date(2000, 2, 29), date(2024, 2, 29)), 24);
}

TEST(BodyAge, YearEndAndDateBeforeBirth)
{
    EXPECT_EQ(age_on(date(1990, 1, 1), date(2023, 12, 31)), 33);
    EXPECT_EQ(age_on(date(1990, 12, 31), date(1991, 1, 1)), 0);
    EXPECT_EQ(age_on(date(2000, 5, 1), date(2000, 4, 30)), -1);  // compose() rejects negative ages
}

}  // namespace
}  // namespace ble2garmin::body
