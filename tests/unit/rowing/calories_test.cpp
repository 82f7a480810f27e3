#include "rowing/calories.hpp"

#include <limits>

#include <gtest/gtest.h>

namespace ble2garmin::rowing {
namespace {

TEST(RowingCalories, ConceptTwoFormula)
{
    // An hour at rest on the rower: the 300 kcal/h base; at 100 W: 4 × 0.8604 × 100 + 300 = 644.16.
    EXPECT_DOUBLE_EQ(rowing_kcal(0, 3600), 300.0);
    EXPECT_DOUBLE_EQ(rowing_kcal(100, 3600), 644.16);
    EXPECT_DOUBLE_EQ(rowing_kcal(100, 900), 161.04);
}

TEST(RowingCalories, PowerFromSpeed)
{
    // 2.8 × 2³ = 22.4 W (a 4:10 /500 m pace); 2.8 × 4³ = 179.2 W.
    EXPECT_DOUBLE_EQ(power_from_speed_w(2.0), 22.4);
    EXPECT_DOUBLE_EQ(power_from_speed_w(4.0), 179.2);
}

TEST(RowingCalories, NeverNegative)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    EXPECT_DOUBLE_EQ(power_from_speed_w(-3), 0.0);
    EXPECT_DOUBLE_EQ(power_from_speed_w(nan), 0.0);
    EXPECT_DOUBLE_EQ(rowing_kcal(-500, 3600), 300.0);
    EXPECT_DOUBLE_EQ(rowing_kcal(100, -10), 0.0);
    EXPECT_DOUBLE_EQ(rowing_kcal(nan, nan), 0.0);
}

}  // namespace
}  // namespace ble2garmin::rowing
