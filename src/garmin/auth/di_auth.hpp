#pragma once
// DI OAuth2 at diauth.<domain> (shared/spec/garmin-connect.md §4.1, §4.2): a CAS service ticket →
// access + refresh token, trying the configured client ids in order; and the rotating refresh.

#include <cstdint>
#include <string>
#include <vector>

#include "garmin/auth/login_outcome.hpp"
#include "garmin/auth/tokens.hpp"
#include "garmin/http/http_client.hpp"

namespace ble2garmin::garmin {

inline constexpr const char* k_service_ticket_grant =
    "https://connectapi.garmin.com/di-oauth2-service/oauth/grant/service_ticket";

struct DiExchange {
    LoginOutcome outcome;  // ok: `tokens` set
    DiTokens tokens;
};

// POSTs the ticket with each of `client_ids` until one is accepted. Any non-2xx moves to the next
// id, except 429 (rate_limited, stop at once). `now` is the Unix time, for the refresh expiry.
DiExchange exchange_service_ticket(HttpClient& http, const std::string& diauth_base_url,
                                   const std::vector<std::string>& client_ids, const std::string& ticket,
                                   const std::string& service_url, std::int64_t now);

// How a token renewal ended (DI refresh or the legacy OAuth1 → OAuth2 exchange).
enum class RenewStatus {
    ok,
    rejected,      // the grant is dead (invalid_grant, 401): a new login is needed
    rate_limited,  // 429: try later
    transient,     // network or 5xx: try later
};

// What every token renewal says about itself.
struct RenewOutcome {
    RenewStatus status = RenewStatus::transient;
    std::string message;  // never a token (Garmin's error_description quotes the token: not used)
    std::optional<long> retry_after;
};

// True, with `outcome` filled, when `response` ends a renewal before its status is looked at: no
// answer at all (transient) or 429 (rate_limited, with Retry-After). `what` names the renewal in the
// message ("the token refresh").
bool renewal_cut_short(const Result<HttpResponse>& response, std::string_view what, RenewOutcome& outcome);

struct DiRefresh : RenewOutcome {
    DiTokens tokens;  // ok: the new tokens, refresh token rotated
};

DiRefresh refresh_di_tokens(HttpClient& http, const std::string& diauth_base_url, const DiTokens& current,
                            std::int64_t now);

}  // namespace ble2garmin::garmin
