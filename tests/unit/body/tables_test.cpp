// Row boundaries of the §4 lookup tables (min inclusive, max exclusive) and the §3.13 labels.

#include "body/tables.hpp"

#include <gtest/gtest.h>

namespace ble2garmin::body {
namespace {

TEST(BodyTables, FatPercentScaleRowsByAge)
{
    EXPECT_EQ(fat_percent_scale(Sex::female, 0), (FatPercentScale{12, 21, 30, 34}));
    EXPECT_EQ(fat_percent_scale(Sex::female, 12), (FatPercentScale{15, 24, 33, 37}));
    EXPECT_EQ(fat_percent_scale(Sex::female, 17), (FatPercentScale{20, 28, 37, 41}));
    EXPECT_EQ(fat_percent_scale(Sex::male, 17), (FatPercentScale{7, 16, 25, 30}));
    EXPECT_EQ(fat_percent_scale(Sex::male, 39), (FatPercentScale{11, 17, 22, 27}));
    EXPECT_EQ(fat_percent_scale(Sex::male, 40), (FatPercentScale{12, 18, 23, 28}));
    EXPECT_EQ(fat_percent_scale(Sex::female, 60), (FatPercentScale{23, 30, 37, 42}));
    EXPECT_EQ(fat_percent_scale(Sex::male, 99), (FatPercentScale{14, 20, 25, 30}));
    EXPECT_FALSE(fat_percent_scale(Sex::male, 100));
    EXPECT_FALSE(fat_percent_scale(Sex::female, -1));
}

TEST(BodyTables, MuscleMassRangeByHeight)
{
    EXPECT_DOUBLE_EQ(muscle_mass_range(Sex::male, 170).low, 49.4);
    EXPECT_DOUBLE_EQ(muscle_mass_range(Sex::male, 169.9).high, 52.5);
    EXPECT_DOUBLE_EQ(muscle_mass_range(Sex::male, 159.9).low, 38.5);
    EXPECT_DOUBLE_EQ(muscle_mass_range(Sex::female, 160).high, 42.6);
    EXPECT_DOUBLE_EQ(muscle_mass_range(Sex::female, 150).low, 32.9);
    EXPECT_DOUBLE_EQ(muscle_mass_range(Sex::female, 149.9).high, 34.8);
}

TEST(BodyTables, BodyTypeLabelsUseUpstreamSpelling)
{
    EXPECT_EQ(body_type_label(1), "obese");
    EXPECT_EQ(body_type_label(4), "lack-exerscise");
    EXPECT_EQ(body_type_label(5), "balanced");
    EXPECT_EQ(body_type_label(9), "skinny-muscular");
    EXPECT_TRUE(body_type_label(0).empty());
    EXPECT_TRUE(body_type_label(10).empty());
}

}  // namespace
}  // namespace ble2garmin::body
