#include "garmin/auth/sso_login.hpp"

#include <nlohmann/json.hpp>

#include "garmin/http/encoding.hpp"
#include "garmin/http/native_headers.hpp"
#include "log/logging.hpp"

namespace ble2garmin::garmin {
namespace {

using nlohmann::json;

std::string text_field(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

LoginOutcome outcome(LoginStatus status, std::string message, std::optional<long> retry_after = std::nullopt)
{
    return LoginOutcome{status, std::move(message), retry_after};
}

LoginOutcome rate_limited(const HttpResponse& response, std::string_view where)
{
    return outcome(
        LoginStatus::rate_limited,
        "Garmin is rate-limiting " + std::string(where) +
            " (HTTP 429): wait before trying again (hours, up to a day); ble2garmin does not retry",
        retry_after_of(response));
}

// Status checks that come before any JSON (Cloudflare answers with HTML).
std::optional<LoginOutcome> cloudflare(const HttpResponse& response, std::string_view where)
{
    if (response.status == 429) {
        return rate_limited(response, where);
    }
    if (response.status == 403) {
        return outcome(LoginStatus::blocked,
                       "Garmin's Cloudflare protection blocked " + std::string(where) +
                           " (HTTP 403 challenge): try later, or log in in a browser and "
                           "use --ticket");
    }
    return std::nullopt;
}

}  // namespace

std::string_view login_status_name(LoginStatus status)
{
    switch (status) {
        case LoginStatus::ok:
            return "ok";
        case LoginStatus::mfa_required:
            return "mfa-required";
        case LoginStatus::invalid_credentials:
            return "invalid-credentials";
        case LoginStatus::mfa_failed:
            return "mfa-failed";
        case LoginStatus::captcha:
            return "captcha";
        case LoginStatus::locked:
            return "locked";
        case LoginStatus::rate_limited:
            return "rate-limited";
        case LoginStatus::blocked:
            return "blocked";
        case LoginStatus::network:
            return "network";
        case LoginStatus::failed:
            return "failed";
    }
    return "failed";
}

std::string mobile_service_url(std::string_view domain)
{
    return "https://mobile.integration." + std::string(domain) + "/gcm/android";
}

SsoLogin::SsoLogin(HttpClient& http, SsoSettings settings)
    : m_http(http), m_settings(std::move(settings)), m_service_url(mobile_service_url(m_settings.domain))
{
}

std::string SsoLogin::api_url(std::string_view path) const
{
    return m_settings.sso_base_url + std::string(path) + "?clientId=" + k_sso_client_id +
           "&locale=en-US&service=" + percent_encode(m_service_url);
}

Headers SsoLogin::json_headers() const
{
    // API-style headers on the JSON POSTs (spec §3.2, the [RS] "header split").
    return {{"User-Agent", m_settings.user_agent},
            {"Accept", "application/json, text/plain, */*"},
            {"Accept-Language", "en-US,en;q=0.9"},
            {"Content-Type", "application/json"},
            {"Origin", m_settings.sso_base_url},
            {"Referer", m_settings.sso_base_url + "/mobile/sso/en/sign-in?clientId=" + k_sso_client_id}};
}

LoginOutcome SsoLogin::start(const std::string& email, const std::string& password)
{
    auto log = logging::get("garmin");
    m_ticket.clear();
    // Step 1: the sign-in page, for the SESSION and Cloudflare cookies.
    HttpRequest page;
    page.url = m_settings.sso_base_url + "/mobile/sso/en/sign-in?clientId=" + k_sso_client_id;
    page.headers = {{"User-Agent", m_settings.user_agent},
                    {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
                    {"Accept-Language", "en-US,en;q=0.9"},
                    {"Sec-Fetch-Mode", "navigate"},
                    {"Sec-Fetch-Dest", "document"},
                    {"Sec-Fetch-Site", "none"}};
    auto page_response = m_http.send(page);
    if (!page_response) {
        return outcome(LoginStatus::network, page_response.error().message);
    }
    if (auto blocked = cloudflare(*page_response, "the sign-in page")) {
        return *blocked;
    }
    if (page_response->status != 200) {
        log->warn("sign-in page answered status={}", page_response->status);
    }

    // Step 2: the login POST.
    HttpRequest login;
    login.method = "POST";
    login.url = api_url("/mobile/api/login");
    login.headers = json_headers();
    login.body =
        json{{"username", email}, {"password", password}, {"rememberMe", false}, {"captchaToken", ""}}.dump();
    auto response = m_http.send(login);
    if (!response) {
        return outcome(LoginStatus::network, response.error().message);
    }
    return interpret(*response, false);
}

LoginOutcome SsoLogin::submit_mfa(const std::string& code)
{
    HttpRequest verify;
    verify.method = "POST";
    verify.url = api_url("/mobile/api/mfa/verifyCode");
    verify.headers = json_headers();
    verify.body = json{
        {"mfaMethod", m_mfa_method},
        {"mfaVerificationCode", code},
        {"rememberMyBrowser", false},
        {"reconsentList", json::array()},
        {"mfaSetup",
         false}}.dump();
    auto response = m_http.send(verify);
    if (!response) {
        return outcome(LoginStatus::network, response.error().message);
    }
    return interpret(*response, true);
}

LoginOutcome SsoLogin::interpret(const HttpResponse& response, bool verifying_mfa)
{
    auto log = logging::get("garmin");
    const std::string_view where = verifying_mfa ? "the MFA check" : "the login";
    if (auto blocked = cloudflare(response, where)) {
        return *blocked;
    }
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return outcome(LoginStatus::failed, "Garmin SSO answered " + std::string(where) + " with HTTP " +
                                                std::to_string(response.status) + " and no JSON");
    }
    // Rate limit delivered as JSON: {"error":{"status-code":"429",…}}.
    if (const auto error = body.find("error"); error != body.end() && error->is_object()) {
        const std::string code = text_field(*error, "status-code");
        if (code == "429") {
            return rate_limited(response, where);
        }
        return outcome(LoginStatus::failed, "Garmin SSO reported error " + (code.empty() ? "?" : code));
    }
    std::string type;
    if (const auto status = body.find("responseStatus"); status != body.end() && status->is_object()) {
        type = text_field(*status, "type");
    }
    log->debug("sso answer step={} status={} type={}", verifying_mfa ? "mfa" : "login", response.status,
               type);
    if (type == "SUCCESSFUL") {
        m_ticket = text_field(body, "serviceTicketId");
        if (m_ticket.rfind("ST-", 0) != 0) {
            m_ticket.clear();
            return outcome(LoginStatus::failed, "Garmin SSO reported success without a service ticket");
        }
        return outcome(LoginStatus::ok, "signed in");
    }
    if (type == "MFA_REQUIRED") {
        if (const auto info = body.find("customerMfaInfo"); info != body.end() && info->is_object()) {
            if (auto method = text_field(*info, "mfaLastMethodUsed"); !method.empty()) {
                m_mfa_method = method;
            }
        }
        return outcome(LoginStatus::mfa_required,
                       "Garmin sent a verification code (by " + m_mfa_method + ")");
    }
    if (type == "INVALID_USERNAME_PASSWORD" || response.status == 401) {
        return outcome(LoginStatus::invalid_credentials, "wrong e-mail address or password");
    }
    if (type == "CAPTCHA_REQUIRED") {
        return outcome(LoginStatus::captcha,
                       "Garmin asks for a CAPTCHA: log in in a browser and use --ticket "
                       "(docs/garmin.md)");
    }
    if (type.find("LOCKED") != std::string::npos || type.find("DISABLED") != std::string::npos) {
        return outcome(LoginStatus::locked, "the Garmin account is locked or disabled (" + type + ")");
    }
    if (verifying_mfa && !type.empty()) {
        return outcome(LoginStatus::mfa_failed, "the verification code was not accepted (" + type + ")");
    }
    return outcome(LoginStatus::failed, "Garmin SSO answered " + std::string(where) + " with HTTP " +
                                            std::to_string(response.status) + " " +
                                            (type.empty() ? "and no status" : type));
}

}  // namespace ble2garmin::garmin
