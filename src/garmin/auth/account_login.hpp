#pragma once
// A whole login for one account: SSO (with MFA) or a ticket from a browser, then the DI token
// exchange, then the tokens saved to the account's folder. What `ble2garmin login` runs.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "ble2garmin/config.hpp"

#include "garmin/auth/login_outcome.hpp"
#include "garmin/http/http_client.hpp"

namespace ble2garmin::garmin {

// Asked for the MFA code when Garmin wants one; `attempt` counts from 1. nullopt = give up.
using MfaCodeSource = std::function<std::optional<std::string>(int attempt)>;

inline constexpr int k_max_mfa_attempts = 3;

struct AccountLogin {
    const GarminConfig& garmin;
    std::filesystem::path token_dir;  // Config::garmin_token_dir()
    std::string email;
    HttpClient* http = nullptr;  // null: a fresh libcurl client (and cookie jar) for this login
};

// Password login. ok once the tokens are saved. Never retries a rate-limited request.
LoginOutcome login_with_password(const AccountLogin& login, const std::string& password,
                                 const MfaCodeSource& mfa_code);

// A service ticket obtained elsewhere (a browser), bound to `service_url` (empty: the Android app's
// service of the domain, as on the sign-in page docs/garmin.md names).
LoginOutcome login_with_ticket(const AccountLogin& login, const std::string& ticket, std::string service_url);

}  // namespace ble2garmin::garmin
