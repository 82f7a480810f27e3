// ConnectClient over a scripted transport: proactive refresh with the rotated token saved, one
// refresh + one retry on 401, the outcome classes, the legacy OAuth1 → OAuth2 renewal.

#include "garmin/connect_client.hpp"

#include <gtest/gtest.h>

#include "garmin_test_support.hpp"

namespace ble2garmin::garmin {
namespace {

using testing_support::header_of;
using testing_support::make_jwt;
using testing_support::ScriptedHttp;
using testing_support::TempDir;

constexpr std::int64_t k_now = 1'700'000'000;

class GarminConnectClient : public ::testing::Test {
protected:
    GarminConnectClient()
    {
        m_garmin.api_base_url = "https://api.test";
        m_garmin.diauth_base_url = "https://di.test";
        m_garmin.oauth_consumer_url = "https://s3.test/oauth_consumer.json";
    }

    TokenStore store() const { return TokenStore(m_dir.path() / "me@x"); }

    void save_di(std::int64_t expires_at)
    {
        ASSERT_TRUE(
            store().save_di({make_jwt("ID", expires_at), "DIRT.old", "ID", expires_at, k_now + 86400}).ok());
    }

    std::unique_ptr<ConnectClient> open()
    {
        auto http = std::make_unique<ScriptedHttp>();
        m_http = http.get();
        auto client =
            ConnectClient::open(m_garmin, m_dir.path(), "me@x", std::move(http), [] { return k_now; });
        EXPECT_TRUE(client.ok()) << (client.ok() ? "" : client.error().message);
        return client.ok() ? std::move(*client) : nullptr;
    }

    static std::string refresh_answer(const std::string& refresh_token)
    {
        return R"({"access_token":")" + make_jwt("ID", k_now + 14400) + R"(","refresh_token":")" +
               refresh_token + R"(","expires_in":14400,"refresh_token_expires_in":2592000})";
    }

    TempDir m_dir;
    GarminConfig m_garmin;
    ScriptedHttp* m_http = nullptr;
};

TEST_F(GarminConnectClient, NoTokensIsAnErrorNamingLogin)
{
    auto client = ConnectClient::open(m_garmin, m_dir.path(), "me@x", std::make_unique<ScriptedHttp>(),
                                      [] { return k_now; });
    ASSERT_FALSE(client.ok());
    EXPECT_NE(client.error().message.find("ble2garmin login"), std::string::npos);
}

TEST_F(GarminConnectClient, SendsBearerAndNativeHeaders)
{
    save_di(k_now + 3600);
    auto client = open();
    m_http->push(200, R"({"displayName":"me"})");
    const auto response = client->call({"GET", "/userprofile-service/socialProfile", {}, {}, std::nullopt});
    EXPECT_EQ(response.outcome, ApiOutcome::success);
    EXPECT_EQ(response.body, R"({"displayName":"me"})");
    ASSERT_EQ(m_http->requests.size(), 1U);
    const auto& sent = m_http->requests[0];
    EXPECT_EQ(sent.url, "https://api.test/userprofile-service/socialProfile");
    EXPECT_EQ(header_of(sent, "Authorization"), "Bearer " + make_jwt("ID", k_now + 3600));
    EXPECT_EQ(header_of(sent, "User-Agent"), "GCM-Android-5.23");
    EXPECT_EQ(header_of(sent, "X-Garmin-Client-Platform"), "Android");
    EXPECT_EQ(header_of(sent, "Accept"), "application/json");
}

TEST_F(GarminConnectClient, RefreshesBeforeExpiryAndSavesTheRotatedToken)
{
    save_di(k_now + 600);  // inside the 15-minute skew
    auto client = open();
    m_http->push(200, refresh_answer("DIRT.new"));
    m_http->push(200, "{}");
    EXPECT_EQ(client->call({"GET", "/x", {}, {}, std::nullopt}).outcome, ApiOutcome::success);
    ASSERT_EQ(m_http->requests.size(), 2U);
    EXPECT_EQ(m_http->requests[0].url, "https://di.test/di-oauth2-service/oauth/token");
    const auto form = parse_form(m_http->requests[0].body);
    EXPECT_EQ(find_parameter(form, "grant_type"), "refresh_token");
    EXPECT_EQ(find_parameter(form, "refresh_token"), "DIRT.old");
    EXPECT_EQ(find_parameter(form, "client_id"), "ID");
    EXPECT_EQ(header_of(m_http->requests[0], "Authorization"), "Basic SUQ6");
    EXPECT_EQ(store().load()->di->refresh_token, "DIRT.new");
    EXPECT_EQ(header_of(m_http->requests[1], "Authorization"), "Bearer " + make_jwt("ID", k_now + 14400));
}

TEST_F(GarminConnectClient, On401RefreshesOnceAndResendsTheSameBody)
{
    save_di(k_now + 3600);
    auto client = open();
    m_http->push(401, "", {{"www-authenticate", "Bearer error=\"invalid_token\""}});
    m_http->push(200, refresh_answer("DIRT.2"));
    m_http->push(202, R"({"detailedImportResult":{}})");
    ApiRequest upload{
        "POST", "/upload-service/upload", {}, {}, MultipartFile{"file", "w.fit", "FITBYTES", ""}};
    const auto response = client->call(upload);
    EXPECT_EQ(response.outcome, ApiOutcome::success);
    EXPECT_EQ(response.status, 202);
    ASSERT_EQ(m_http->requests.size(), 3U);
    ASSERT_TRUE(m_http->requests[2].file);
    EXPECT_EQ(m_http->requests[2].file->content, "FITBYTES");
    EXPECT_EQ(m_http->requests[2].file->field_name, "file");
    EXPECT_EQ(store().load()->di->refresh_token, "DIRT.2");
}

TEST_F(GarminConnectClient, A401AfterTheRefreshIsAuthFailed)
{
    save_di(k_now + 3600);
    auto client = open();
    m_http->push(401, "");
    m_http->push(200, refresh_answer("DIRT.2"));
    m_http->push(401, "");
    const auto response = client->call({"GET", "/x", {}, {}, std::nullopt});
    EXPECT_EQ(response.outcome, ApiOutcome::auth_failed);
    EXPECT_EQ(m_http->requests.size(), 3U);  // no second refresh, no third try
}

TEST_F(GarminConnectClient, ARefusedRefreshIsAuthFailedWithoutTheToken)
{
    save_di(k_now + 10);
    auto client = open();
    m_http->push(400, R"({"error":"invalid_grant","error_description":"Invalid refresh token: DIRT.old"})");
    const auto response = client->call({"GET", "/x", {}, {}, std::nullopt});
    EXPECT_EQ(response.outcome, ApiOutcome::auth_failed);
    EXPECT_EQ(m_http->requests.size(), 1U);
    EXPECT_EQ(response.message.find("DIRT"), std::string::npos) << response.message;
    EXPECT_NE(response.message.find("invalid_grant"), std::string::npos);
}

TEST_F(GarminConnectClient, AdoptsTokensAnotherProcessRefreshed)
{
    save_di(k_now + 3600);
    auto client = open();
    // Another process (the daemon) rotated the tokens on disk meanwhile.
    ASSERT_TRUE(store()
                    .save_di({make_jwt("ID", k_now + 14400), "DIRT.other", "ID", k_now + 14400, std::nullopt})
                    .ok());
    m_http->push(401, "");
    m_http->push(200, "{}");
    EXPECT_EQ(client->call({"GET", "/x", {}, {}, std::nullopt}).outcome, ApiOutcome::success);
    ASSERT_EQ(m_http->requests.size(), 2U);  // no refresh with the dead token, just the retry
    EXPECT_EQ(header_of(m_http->requests[1], "Authorization"), "Bearer " + make_jwt("ID", k_now + 14400));
    EXPECT_EQ(store().load()->di->refresh_token, "DIRT.other");
}

TEST_F(GarminConnectClient, OutcomeClasses)
{
    save_di(k_now + 3600);
    auto client = open();
    m_http->push(429, "{}", {{"retry-after", "120"}});
    m_http->push(409, R"({"detailedImportResult":{"failures":[]}})");
    m_http->push(415, "{}");
    m_http->push(503, "");
    m_http->push(0, "Could not resolve host");
    m_http->push(403, "");
    const ApiRequest request{"GET", "/x", {}, {}, std::nullopt};
    const auto limited = client->call(request);
    EXPECT_EQ(limited.outcome, ApiOutcome::rate_limited);
    EXPECT_EQ(limited.retry_after, 120);
    EXPECT_EQ(client->call(request).outcome, ApiOutcome::duplicate);
    EXPECT_EQ(client->call(request).outcome, ApiOutcome::rejected);
    EXPECT_EQ(client->call(request).outcome, ApiOutcome::transient);
    const auto network = client->call(request);
    EXPECT_EQ(network.outcome, ApiOutcome::transient);
    EXPECT_EQ(network.status, 0);
    EXPECT_EQ(client->call(request).outcome, ApiOutcome::auth_failed);
    EXPECT_EQ(m_http->requests.size(), 6U);  // nothing retried
}

TEST_F(GarminConnectClient, RejectsPathsThatLeaveTheApi)
{
    save_di(k_now + 3600);
    auto client = open();
    EXPECT_EQ(client->call({"GET", "/a/../b", {}, {}, std::nullopt}).outcome, ApiOutcome::rejected);
    EXPECT_EQ(client->call({"GET", "x", {}, {}, std::nullopt}).outcome, ApiOutcome::rejected);
    EXPECT_TRUE(m_http->requests.empty());
}

TEST_F(GarminConnectClient, LegacyTokensAreRenewedWithASignedExchange)
{
    ASSERT_TRUE(store().save_oauth1({"tok1", "sec1", "MFA-1-x-cas", std::nullopt, "garmin.com"}).ok());
    OAuth2Token expired;
    expired.access_token = "old-access";
    expired.expires_at = k_now - 10;
    ASSERT_TRUE(store().save_oauth2(expired).ok());
    auto client = open();
    EXPECT_EQ(client->token_kind(), TokenKind::legacy);
    m_http->push(200, R"({"consumer_key":"ck","consumer_secret":"cs"})");
    m_http->push(200, R"({"scope":"s","jti":"j","access_token":"new-access","token_type":"bearer",)"
                      R"("refresh_token":"r","expires_in":86400,"refresh_token_expires_in":2591999})");
    m_http->push(200, "{}");
    EXPECT_EQ(client->call({"GET", "/x", {}, {}, std::nullopt}).outcome, ApiOutcome::success);
    ASSERT_EQ(m_http->requests.size(), 3U);
    EXPECT_EQ(m_http->requests[0].url, "https://s3.test/oauth_consumer.json");
    const auto& exchange = m_http->requests[1];
    EXPECT_EQ(exchange.url, "https://api.test/oauth-service/oauth/exchange/user/2.0");
    EXPECT_EQ(header_of(exchange, "Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(exchange.body, "mfa_token=MFA-1-x-cas");
    const std::string authorization = header_of(exchange, "Authorization");
    EXPECT_EQ(authorization.rfind("OAuth ", 0), 0U);
    EXPECT_NE(authorization.find("oauth_consumer_key=\"ck\""), std::string::npos);
    EXPECT_NE(authorization.find("oauth_token=\"tok1\""), std::string::npos);
    EXPECT_NE(authorization.find("oauth_timestamp=\"1700000000\""), std::string::npos);
    EXPECT_EQ(header_of(m_http->requests[2], "Authorization"), "Bearer new-access");
    const auto saved = store().load();
    ASSERT_TRUE(saved.ok());
    EXPECT_EQ(saved->legacy->oauth2->access_token, "new-access");
    EXPECT_EQ(saved->legacy->oauth2->expires_at, k_now + 86400);
}

TEST_F(GarminConnectClient, ARevokedOAuth1TokenIsAuthFailed)
{
    ASSERT_TRUE(store().save_oauth1({"tok1", "sec1", std::nullopt, std::nullopt, "garmin.com"}).ok());
    m_garmin.oauth_consumer_key = "ck";
    m_garmin.oauth_consumer_secret = "cs";
    auto client = open();
    m_http->push(401, "<html>Unauthorized</html>");
    EXPECT_EQ(client->call({"GET", "/x", {}, {}, std::nullopt}).outcome, ApiOutcome::auth_failed);
    EXPECT_EQ(m_http->requests.size(), 1U);  // consumer from the config: no fetch
}

}  // namespace
}  // namespace ble2garmin::garmin
