#pragma once
// How a login attempt ended (SSO, MFA and the ticket → DI token exchange), shared/spec §3.2, §7.

#include <optional>
#include <string>
#include <string_view>

namespace ble2garmin::garmin {

enum class LoginStatus {
    ok,                   // a ticket (SSO) or tokens (exchange)
    mfa_required,         // send the code with SsoLogin::submit_mfa()
    invalid_credentials,  // wrong e-mail or password (401 INVALID_USERNAME_PASSWORD)
    mfa_failed,           // wrong or expired MFA code; another code may be tried
    captcha,              // CAPTCHA_REQUIRED: Garmin wants a browser (use --ticket)
    locked,               // account locked or disabled
    rate_limited,         // 429 (Cloudflare or JSON): wait; never retried automatically
    blocked,              // Cloudflare 403 challenge
    network,              // no HTTP answer (DNS, connect, TLS, timeout)
    failed,               // anything else (unexpected status or body, no client id accepted)
};

struct LoginOutcome {
    LoginStatus status = LoginStatus::failed;
    std::string message;              // one line for the user; never a secret
    std::optional<long> retry_after;  // seconds, from Retry-After, when rate limited
};

// "ok", "invalid-credentials", … for log lines.
std::string_view login_status_name(LoginStatus status);

}  // namespace ble2garmin::garmin
