#include "garmin/auth/tokens.hpp"

#include <gtest/gtest.h>

#include "garmin_test_support.hpp"

namespace ble2garmin::garmin {
namespace {

using testing_support::make_jwt;

TEST(GarminTokens, ExpiresSoonUsesTheSkew)
{
    EXPECT_FALSE(expires_soon(10'000, 10'000 - 901));
    EXPECT_TRUE(expires_soon(10'000, 10'000 - 900));
    EXPECT_TRUE(expires_soon(10'000, 20'000));
    EXPECT_TRUE(expires_soon(0, 1));  // unknown expiry: renew
    EXPECT_FALSE(expires_soon(100, 99, 0));
    EXPECT_TRUE(expires_soon(100, 100, 0));
}

TEST(GarminTokens, JwtClaims)
{
    const std::string jwt = make_jwt("GARMIN_CONNECT_MOBILE_ANDROID_DI_2024Q4", 1'800'000'000);
    EXPECT_EQ(jwt_expiry(jwt), 1'800'000'000);
    EXPECT_EQ(jwt_string_claim(jwt, "client_id"), "GARMIN_CONNECT_MOBILE_ANDROID_DI_2024Q4");
    EXPECT_FALSE(jwt_string_claim(jwt, "missing"));
    EXPECT_FALSE(jwt_expiry("not-a-jwt"));
    EXPECT_FALSE(jwt_expiry("a.%%%.c"));
}

TEST(GarminTokens, DiJsonRoundTrip)
{
    const DiTokens tokens{make_jwt("ID", 2000), "DIRT.r1", "ID", 2000, 5000};
    const auto back = di_tokens_from_json(di_tokens_to_json(tokens));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->access_token, tokens.access_token);
    EXPECT_EQ(back->refresh_token, "DIRT.r1");
    EXPECT_EQ(back->client_id, "ID");
    EXPECT_EQ(back->expires_at, 2000);
    EXPECT_EQ(back->refresh_expires_at, 5000);
}

TEST(GarminTokens, ReadsThePythonGarminconnectLayout)
{
    // Only the three keys garminconnect 0.3 writes: the expiry comes from the JWT.
    const std::string jwt = make_jwt("GARMIN_CONNECT_MOBILE_ANDROID_DI_2025Q2", 1234);
    const auto tokens = di_tokens_from_json(
        R"({"di_token": ")" + jwt +
        R"(", "di_refresh_token": "r", "di_client_id": "GARMIN_CONNECT_MOBILE_ANDROID_DI_2025Q2"})");
    ASSERT_TRUE(tokens.ok()) << tokens.error().message;
    EXPECT_EQ(tokens->expires_at, 1234);
    EXPECT_FALSE(tokens->refresh_expires_at);
}

TEST(GarminTokens, MalformedDiFilesAreErrorsWithoutValues)
{
    EXPECT_FALSE(di_tokens_from_json("[]").ok());
    EXPECT_FALSE(di_tokens_from_json("{").ok());
    const auto missing = di_tokens_from_json(R"({"di_token": "secret-access"})");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().message.find("secret-access"), std::string::npos);
}

TEST(GarminTokens, DiResponseSetsAbsoluteExpiries)
{
    const std::string jwt = make_jwt("ID2", 1000 + 14400);
    const auto tokens = di_tokens_from_response(
        R"({"access_token":")" + jwt +
            R"(","refresh_token":"n","expires_in":14400,"refresh_token_expires_in":2592000})",
        1000, "fallback");
    ASSERT_TRUE(tokens.ok());
    EXPECT_EQ(tokens->client_id, "ID2");
    EXPECT_EQ(tokens->expires_at, 15400);
    EXPECT_EQ(tokens->refresh_expires_at, 1000 + 2592000);
    const auto opaque = di_tokens_from_response(
        R"({"access_token":"opaque","refresh_token":"n","expires_in":60})", 1000, "fallback");
    ASSERT_TRUE(opaque.ok());
    EXPECT_EQ(opaque->client_id, "fallback");
    EXPECT_EQ(opaque->expires_at, 1060);
}

TEST(GarminTokens, GarthFilesRoundTrip)
{
    OAuth1Token oauth1{"t", "s", "MFA-1-x-cas", "2027-03-18T05:33:02", "garmin.com"};
    const auto back1 = oauth1_from_json(oauth1_to_json(oauth1));
    ASSERT_TRUE(back1.ok());
    EXPECT_EQ(back1->oauth_token, "t");
    EXPECT_EQ(back1->mfa_token, "MFA-1-x-cas");
    EXPECT_EQ(back1->mfa_expiration_timestamp, "2027-03-18T05:33:02");
    const auto nulls = oauth1_from_json(
        R"({"oauth_token": "t", "oauth_token_secret": "s", "mfa_token": null, "mfa_expiration_timestamp": null, "domain": "garmin.com"})");
    ASSERT_TRUE(nulls.ok());
    EXPECT_FALSE(nulls->mfa_token);

    const auto oauth2 = oauth2_from_response(
        R"({"scope":"CONNECT_READ","jti":"j","access_token":"a","token_type":"bearer","refresh_token":"r","expires_in":75017,"refresh_token_expires_in":2591999})",
        100);
    ASSERT_TRUE(oauth2.ok());
    EXPECT_EQ(oauth2->expires_at, 75117);
    EXPECT_EQ(oauth2->refresh_token_expires_at, 2592099);
    const std::string text = oauth2_to_json(*oauth2);
    EXPECT_LT(text.find("\"scope\""), text.find("\"refresh_token_expires_at\""));  // garth's order
    const auto back2 = oauth2_from_json(text);
    ASSERT_TRUE(back2.ok());
    EXPECT_EQ(back2->access_token, "a");
    EXPECT_EQ(back2->expires_at, 75117);
}

}  // namespace
}  // namespace ble2garmin::garmin
