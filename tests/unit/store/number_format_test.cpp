#include "store/number_format.hpp"

#include <clocale>
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace ble2garmin::store {
namespace {

TEST(StoreNumberFormat, RoundsTheBinaryValueLikePython)
{
    // Python: "%.1f" % 85.15 == "85.2" (85.15 is 85.150000000000005…), "%.1f" % 0.35 == "0.3".
    EXPECT_EQ(format_fixed(85.15, 1), "85.2");
    EXPECT_EQ(format_fixed(0.35, 1), "0.3");
    EXPECT_EQ(format_fixed(55.2, 1), "55.2");
    EXPECT_EQ(format_fixed(18.658734451054627, 1), "18.7");
    EXPECT_EQ(format_fixed(1217.2512, 0), "1217");
    EXPECT_EQ(format_fixed(4.390400000000007, 0), "4");
    // Exact ties go to the even digit, as in Python.
    EXPECT_EQ(format_fixed(0.5, 0), "0");
    EXPECT_EQ(format_fixed(1.5, 0), "2");
    EXPECT_EQ(format_fixed(2.5, 0), "2");
    EXPECT_EQ(format_fixed(0.25, 1), "0.2");
    EXPECT_EQ(format_fixed(0.75, 1), "0.8");
    EXPECT_EQ(format_fixed(-0.04, 1), "-0.0");
    EXPECT_EQ(format_fixed(3.0, 1), "3.0");
}

TEST(StoreNumberFormat, WritesNonFiniteValuesAsPythonDoes)
{
    EXPECT_EQ(format_fixed(std::numeric_limits<double>::quiet_NaN(), 1), "nan");
    EXPECT_EQ(format_fixed(std::numeric_limits<double>::infinity(), 1), "inf");
    EXPECT_EQ(format_fixed(-std::numeric_limits<double>::infinity(), 0), "-inf");
    EXPECT_EQ(format_fixed(std::numeric_limits<double>::max(), 1).size(), 311U);
}

TEST(StoreNumberFormat, IgnoresTheLocale)
{
    const char* german = std::setlocale(LC_NUMERIC, "de_DE.UTF-8");
    if (german == nullptr) {
        GTEST_SKIP() << "de_DE.UTF-8 locale not installed";
    }
    EXPECT_EQ(format_fixed(55.2, 1), "55.2");
    EXPECT_EQ(parse_decimal("55.2"), 55.2);
    std::setlocale(LC_NUMERIC, "C");
}

TEST(StoreNumberFormat, FormatsTenthsWithoutNegativeZero)
{
    EXPECT_EQ(format_tenths(0), "0.0");
    EXPECT_EQ(format_tenths(-5), "-0.5");
    EXPECT_EQ(format_tenths(5), "0.5");
    EXPECT_EQ(format_tenths(123), "12.3");
    EXPECT_EQ(format_tenths(-248), "-24.8");
    EXPECT_EQ(format_tenths(std::numeric_limits<std::int64_t>::min()), "-922337203685477580.8");
}

TEST(StoreNumberFormat, ParsesOnlyPlainIntegers)
{
    EXPECT_EQ(parse_integer("1721076654"), 1721076654);
    EXPECT_EQ(parse_integer("-3"), -3);
    EXPECT_EQ(parse_integer("0"), 0);
    for (const char* bad : {"", "+1", " 1", "1 ", "1.0", "0x10", "abc", "99999999999999999999", "-"}) {
        EXPECT_FALSE(parse_integer(bad).has_value()) << bad;
    }
}

TEST(StoreNumberFormat, ParsesOnlyPlainDecimals)
{
    EXPECT_EQ(parse_decimal("55.2"), 55.2);
    EXPECT_EQ(parse_decimal("-0.5"), -0.5);
    EXPECT_EQ(parse_decimal(".5"), 0.5);
    EXPECT_EQ(parse_decimal("5."), 5.0);
    EXPECT_EQ(parse_decimal("508"), 508.0);
    for (const char* bad : {"", "-", ".", "1e3", "nan", "inf", " 1", "1,5", "+1", "0x10", "1.2.3", "--1"}) {
        EXPECT_FALSE(parse_decimal(bad).has_value()) << bad;
    }
    EXPECT_FALSE(parse_decimal(std::string(400, '9')).has_value());
}

TEST(StoreNumberFormat, ParsesTenths)
{
    EXPECT_EQ(parse_tenths("55.2"), 552);
    EXPECT_EQ(parse_tenths("-0.5"), -5);
    EXPECT_EQ(parse_tenths("83"), 830);
    EXPECT_EQ(parse_tenths("55.24"), 552);
    EXPECT_FALSE(parse_tenths("x").has_value());
    EXPECT_FALSE(parse_tenths("1" + std::string(30, '0')).has_value());
}

}  // namespace
}  // namespace ble2garmin::store
