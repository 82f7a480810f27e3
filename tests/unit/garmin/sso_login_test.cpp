// SsoLogin and the DI ticket exchange over a scripted transport: request shapes, outcome
// classification, and that nothing is retried.

#include "garmin/auth/sso_login.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "garmin/auth/di_auth.hpp"
#include "garmin_test_support.hpp"

namespace ble2garmin::garmin {
namespace {

using testing_support::header_of;
using testing_support::make_jwt;
using testing_support::ScriptedHttp;

const SsoSettings k_settings{"https://sso.test", "garmin.com", "UA"};

std::string status_body(const std::string& type)
{
    return R"({"responseStatus":{"type":")" + type + R"("},"serviceTicketId":null})";
}

TEST(GarminSsoLogin, SuccessfulLoginGivesTheTicket)
{
    ScriptedHttp http;
    http.push(200, "<html><title>Garmin SSO Portal</title></html>");
    http.push(200, R"({"serviceTicketId":"ST-0000001-abc-sso","responseStatus":{"type":"SUCCESSFUL"}})");
    SsoLogin sso(http, k_settings);
    const auto outcome = sso.start("me@x", "pw");
    EXPECT_EQ(outcome.status, LoginStatus::ok);
    EXPECT_EQ(sso.ticket(), "ST-0000001-abc-sso");
    ASSERT_EQ(http.requests.size(), 2U);
    EXPECT_EQ(http.requests[0].url, "https://sso.test/mobile/sso/en/sign-in?clientId=GCM_ANDROID_DARK");
    EXPECT_EQ(http.requests[1].url,
              "https://sso.test/mobile/api/login?clientId=GCM_ANDROID_DARK&locale=en-US&service="
              "https%3A%2F%2Fmobile.integration.garmin.com%2Fgcm%2Fandroid");
    const auto body = nlohmann::json::parse(http.requests[1].body);
    EXPECT_EQ(body["username"], "me@x");
    EXPECT_EQ(body["password"], "pw");
    EXPECT_EQ(body["captchaToken"], "");
    EXPECT_EQ(header_of(http.requests[1], "Content-Type"), "application/json");
    EXPECT_EQ(header_of(http.requests[1], "Origin"), "https://sso.test");
}

TEST(GarminSsoLogin, MfaThenCode)
{
    ScriptedHttp http;
    http.push(200, "");
    http.push(200,
              R"({"responseStatus":{"type":"MFA_REQUIRED"},"customerMfaInfo":{"mfaLastMethodUsed":"sms"}})");
    http.push(200, status_body("INVALID_MFA_CODE"));
    http.push(200, R"({"serviceTicketId":"ST-1-x-sso","responseStatus":{"type":"SUCCESSFUL"}})");
    SsoLogin sso(http, k_settings);
    EXPECT_EQ(sso.start("mfa@x", "pw").status, LoginStatus::mfa_required);
    EXPECT_EQ(sso.submit_mfa("000000").status, LoginStatus::mfa_failed);
    EXPECT_EQ(sso.submit_mfa("123456").status, LoginStatus::ok);
    EXPECT_EQ(sso.ticket(), "ST-1-x-sso");
    const auto body = nlohmann::json::parse(http.requests[3].body);
    EXPECT_EQ(body["mfaMethod"], "sms");
    EXPECT_EQ(body["mfaVerificationCode"], "123456");
    EXPECT_NE(http.requests[3].url.find("/mobile/api/mfa/verifyCode?clientId=GCM_ANDROID_DARK"),
              std::string::npos);
}

struct Case {
    long status;
    std::string body;
    Headers headers;
    LoginStatus expected;
};

TEST(GarminSsoLogin, ClassifiesFailuresWithoutRetrying)
{
    const std::vector<Case> cases = {
        {401, status_body("INVALID_USERNAME_PASSWORD"), {}, LoginStatus::invalid_credentials},
        {200, status_body("CAPTCHA_REQUIRED"), {}, LoginStatus::captcha},
        {200, status_body("LOCKED"), {}, LoginStatus::locked},
        {429,
         "<html>Error 1015</html>",
         {{"retry-after", "3600"}, {"server", "cloudflare"}},
         LoginStatus::rate_limited},
        {200, R"({"error":{"status-code":"429"}})", {}, LoginStatus::rate_limited},
        {403, "<html>challenge</html>", {}, LoginStatus::blocked},
        {500, "<html>oops</html>", {}, LoginStatus::failed},
        {200, status_body("MAINTENANCE"), {}, LoginStatus::failed},
    };
    for (const auto& test : cases) {
        ScriptedHttp http;
        http.push(200, "");
        http.push(test.status, test.body, test.headers);
        SsoLogin sso(http, k_settings);
        const auto outcome = sso.start("me@x", "pw-secret");
        EXPECT_EQ(outcome.status, test.expected) << test.body;
        EXPECT_EQ(http.requests.size(), 2U) << test.body;
        EXPECT_EQ(outcome.message.find("pw-secret"), std::string::npos);
        if (test.status == 429 && !test.headers.empty()) {
            EXPECT_EQ(outcome.retry_after, 3600);
        }
    }
}

TEST(GarminSsoLogin, NetworkFailureIsNetwork)
{
    ScriptedHttp http;
    http.push(0, "SSL certificate problem: unable to get local issuer certificate");
    SsoLogin sso(http, k_settings);
    const auto outcome = sso.start("me@x", "pw");
    EXPECT_EQ(outcome.status, LoginStatus::network);
    EXPECT_NE(outcome.message.find("certificate"), std::string::npos);
}

TEST(GarminDiExchange, TriesClientIdsInOrder)
{
    ScriptedHttp http;
    http.push(401, R"({"error":"unauthorized_client"})");
    http.push(200,
              R"({"access_token":")" + make_jwt("B", 2000) + R"(","refresh_token":"r","expires_in":14400})");
    const auto result = exchange_service_ticket(http, "https://di.test", {"A", "B", "C"}, "ST-1-x-sso",
                                                "https://mobile.integration.garmin.com/gcm/android", 1000);
    EXPECT_EQ(result.outcome.status, LoginStatus::ok);
    EXPECT_EQ(result.tokens.client_id, "B");
    ASSERT_EQ(http.requests.size(), 2U);
    const auto form = parse_form(http.requests[1].body);
    EXPECT_EQ(find_parameter(form, "client_id"), "B");
    EXPECT_EQ(find_parameter(form, "service_ticket"), "ST-1-x-sso");
    EXPECT_EQ(find_parameter(form, "grant_type"), k_service_ticket_grant);
    EXPECT_EQ(find_parameter(form, "service_url"), "https://mobile.integration.garmin.com/gcm/android");
    EXPECT_EQ(header_of(http.requests[1], "Authorization"), "Basic Qjo=");
}

TEST(GarminDiExchange, StopsOnRateLimitAndOnABadTicket)
{
    ScriptedHttp limited;
    limited.push(429, "{}", {{"retry-after", "60"}});
    auto result = exchange_service_ticket(limited, "https://di.test", {"A", "B"}, "ST-1", "s", 0);
    EXPECT_EQ(result.outcome.status, LoginStatus::rate_limited);
    EXPECT_EQ(result.outcome.retry_after, 60);
    EXPECT_EQ(limited.requests.size(), 1U);

    ScriptedHttp bad;
    bad.push(400, R"({"error":"invalid_grant","error_description":"Invalid service ticket"})");
    result = exchange_service_ticket(bad, "https://di.test", {"A", "B"}, "ST-1", "s", 0);
    EXPECT_EQ(result.outcome.status, LoginStatus::failed);
    EXPECT_EQ(bad.requests.size(), 1U);

    ScriptedHttp none;
    none.push(401, "{}");
    none.push(401, "{}");
    result = exchange_service_ticket(none, "https://di.test", {"A", "B"}, "ST-1", "s", 0);
    EXPECT_EQ(result.outcome.status, LoginStatus::failed);
    EXPECT_NE(result.outcome.message.find("client_ids"), std::string::npos);
}

}  // namespace
}  // namespace ble2garmin::garmin
