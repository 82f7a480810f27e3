#include "garmin/http/encoding.hpp"

#include <gtest/gtest.h>

namespace ble2garmin::garmin {
namespace {

TEST(GarminEncoding, PercentEncodesAllButUnreserved)
{
    EXPECT_EQ(percent_encode("Ladies + Gentlemen"), "Ladies%20%2B%20Gentlemen");
    EXPECT_EQ(percent_encode("a-._~Z09"), "a-._~Z09");
    EXPECT_EQ(percent_encode("https://mobile.integration.garmin.com/gcm/android"),
              "https%3A%2F%2Fmobile.integration.garmin.com%2Fgcm%2Fandroid");
    EXPECT_EQ(percent_encode("\xC3\xA9"), "%C3%A9");
}

TEST(GarminEncoding, FormRoundTrip)
{
    const Parameters form = {{"grant_type", "refresh_token"}, {"x y", "a+b&c=d"}};
    const std::string text = form_encode(form);
    EXPECT_EQ(text, "grant_type=refresh_token&x%20y=a%2Bb%26c%3Dd");
    EXPECT_EQ(parse_form(text), form);
    EXPECT_EQ(parse_form("a=1+2&b&c=%zz"), (Parameters{{"a", "1 2"}, {"b", ""}, {"c", "%zz"}}));
    EXPECT_EQ(find_parameter(parse_form("oauth_token=t&oauth_token_secret=s"), "oauth_token_secret"), "s");
    EXPECT_FALSE(find_parameter(parse_form("a=1"), "b"));
}

TEST(GarminEncoding, Base64)
{
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("GARMIN_CONNECT_MOBILE_ANDROID_DI:"),
              "R0FSTUlOX0NPTk5FQ1RfTU9CSUxFX0FORFJPSURfREk6");
    EXPECT_EQ(base64_decode("Zm8"), "fo");
    EXPECT_EQ(base64_decode("Zm8="), "fo");
    EXPECT_EQ(base64_decode("-_8"), "\xfb\xff");  // URL-safe alphabet
    EXPECT_FALSE(base64_decode("Z"));
    EXPECT_FALSE(base64_decode("Zm$v"));
}

}  // namespace
}  // namespace ble2garmin::garmin
