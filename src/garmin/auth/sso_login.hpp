#pragma once
// Garmin SSO through the mobile JSON API (shared/spec/garmin-connect.md §3.2, MFA §3.3): sign-in page
// GET (cookies), login POST, optional MFA verify POST, ending in a single-use CAS service ticket
// bound to service_url(). One object per login flow: it holds the flow's HttpClient and so its cookie
// jar. Never retries: a 429 is reported at once (§8 client policy).

#include <string>

#include "garmin/auth/login_outcome.hpp"
#include "garmin/http/http_client.hpp"

namespace ble2garmin::garmin {

struct SsoSettings {
    std::string sso_base_url = "https://sso.garmin.com";
    std::string domain = "garmin.com";  // for the service URL, which is never the mock's
    std::string user_agent;             // the browser UA of the login pages
};

// The Android app's SSO client id and the service its tickets are bound to.
inline constexpr const char* k_sso_client_id = "GCM_ANDROID_DARK";
std::string mobile_service_url(std::string_view domain);

class SsoLogin {
public:
    SsoLogin(HttpClient& http, SsoSettings settings);

    // Signs in; ok (ticket() set), mfa_required, or a failure status.
    LoginOutcome start(const std::string& email, const std::string& password);
    // After mfa_required: ok (ticket() set), mfa_failed (another code may follow) or a failure.
    LoginOutcome submit_mfa(const std::string& code);

    // The service ticket after an ok outcome. A secret: never log it.
    const std::string& ticket() const { return m_ticket; }
    const std::string& service_url() const { return m_service_url; }

private:
    std::string api_url(std::string_view path) const;
    Headers json_headers() const;
    LoginOutcome interpret(const HttpResponse& response, bool verifying_mfa);

    HttpClient& m_http;
    SsoSettings m_settings;
    std::string m_service_url;
    std::string m_mfa_method = "email";
    std::string m_ticket;
};

}  // namespace ble2garmin::garmin
