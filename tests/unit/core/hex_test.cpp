#include "util/hex.hpp"

#include <gtest/gtest.h>

namespace ble2garmin {
namespace {

TEST(Hex, ParsesLowerUpperAndSeparators)
{
    auto bytes = parse_hex("02:26 B2");
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(*bytes, (Bytes{0x02, 0x26, 0xb2}));
    EXPECT_EQ(to_hex(*bytes), "0226b2");
}

TEST(Hex, RejectsOddDigitsAndBadCharacters)
{
    EXPECT_FALSE(parse_hex("022").ok());
    auto bad = parse_hex("02zz");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("'z'"), std::string::npos);
}

}  // namespace
}  // namespace ble2garmin
