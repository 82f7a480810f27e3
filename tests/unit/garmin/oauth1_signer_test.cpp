// RFC 5849 signing against published vectors: Twitter's "Creating a signature" example (a query
// parameter, a form body, consumer and token) and RFC 5849 §3.4.1.2's base URI examples.

#include "garmin/auth/oauth1_signer.hpp"

#include <gtest/gtest.h>

namespace ble2garmin::garmin {
namespace {

const Parameters k_twitter_oauth = {{"oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"},
                                    {"oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"},
                                    {"oauth_signature_method", "HMAC-SHA1"},
                                    {"oauth_timestamp", "1318622958"},
                                    {"oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"},
                                    {"oauth_version", "1.0"}};
const Parameters k_twitter_form = {{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}};
constexpr const char* k_twitter_url =
    "https://api.twitter.com/1.1/statuses/update.json?include_entities=true";

TEST(GarminOAuth1, TwitterBaseString)
{
    EXPECT_EQ(oauth1_base_string("POST", k_twitter_url, k_twitter_oauth, k_twitter_form),
              "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26"
              "oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%"
              "3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26"
              "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
              "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%"
              "2520%252B%2520"
              "Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521");
}

TEST(GarminOAuth1, TwitterSignature)
{
    const std::string base = oauth1_base_string("POST", k_twitter_url, k_twitter_oauth, k_twitter_form);
    EXPECT_EQ(oauth1_signature(base, "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                               "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"),
              "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
}

TEST(GarminOAuth1, AuthorizationHeaderCarriesTheSameSignature)
{
    const OAuth1Credentials credentials{
        "xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"};
    const std::string header = oauth1_authorization("POST", k_twitter_url, k_twitter_form, credentials,
                                                    "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", 1318622958);
    EXPECT_EQ(
        header,
        "OAuth oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", oauth_timestamp=\"1318622958\", "
        "oauth_version=\"1.0\", oauth_signature_method=\"HMAC-SHA1\", "
        "oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
        "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
        "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\"");
}

TEST(GarminOAuth1, ConsumerOnlySignatureHasNoToken)
{
    const std::string header = oauth1_authorization("GET", "https://connectapi.garmin.com/x", {},
                                                    {"key", "secret", "", ""}, "123", 1);
    EXPECT_EQ(header.find("oauth_token"), std::string::npos);
    // Key "secret&" over the hand-written base string.
    const std::string base =
        "GET&https%3A%2F%2Fconnectapi.garmin.com%2Fx&oauth_consumer_key%3Dkey%26oauth_nonce%3D123"
        "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_version%3D1.0";
    EXPECT_NE(header.find("oauth_signature=\"" + percent_encode(oauth1_signature(base, "secret", "")) + "\""),
              std::string::npos);
}

TEST(GarminOAuth1, QueryIsDecodedBeforeSigning)
{
    // The [QZ] pitfall: login-url must be signed decoded, whatever its wire encoding.
    const std::string encoded = oauth1_base_string(
        "GET", "https://h/p?login-url=https%3A%2F%2Fmobile.integration.garmin.com%2Fgcm%2Fandroid", {}, {});
    const std::string raw = oauth1_base_string(
        "GET", "https://h/p?login-url=https://mobile.integration.garmin.com/gcm/android", {}, {});
    EXPECT_EQ(encoded, raw);
    EXPECT_EQ(encoded,
              "GET&https%3A%2F%2Fh%2Fp&login-url%3Dhttps%253A%252F%252Fmobile.integration.garmin.com"
              "%252Fgcm%252Fandroid");
}

TEST(GarminOAuth1, BaseUriPerRfc5849)
{
    EXPECT_EQ(oauth1_base_uri("HTTP://EXAMPLE.COM:80/r%20v/X?id=123"), "http://example.com/r%20v/X");
    EXPECT_EQ(oauth1_base_uri("https://www.example.net:8080/?q=1"), "https://www.example.net:8080/");
    EXPECT_EQ(oauth1_base_uri("https://connectapi.garmin.com:443/oauth-service/oauth/preauthorized?ticket=x"),
              "https://connectapi.garmin.com/oauth-service/oauth/preauthorized");
    EXPECT_EQ(oauth1_base_uri("https://localhost:4443"), "https://localhost:4443/");
}

TEST(GarminOAuth1, NonceIsThirtyDigits)
{
    const std::string nonce = oauth1_nonce();
    ASSERT_EQ(nonce.size(), 30U);
    EXPECT_EQ(nonce.find_first_not_of("0123456789"), std::string::npos);
    EXPECT_NE(nonce, oauth1_nonce());
}

}  // namespace
}  // namespace ble2garmin::garmin
