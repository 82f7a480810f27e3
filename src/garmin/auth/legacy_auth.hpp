#pragma once
// The legacy garth token path (shared/spec/garmin-connect.md §5): an existing OAuth1 token (≈ 1 year)
// is exchanged for a fresh OAuth2 access token, signed per RFC 5849 (oauth1_signer.hpp). ble2garmin
// never creates OAuth1 tokens (the preauthorized step is dead for new logins, §1); it only keeps
// imported ones working.

#include <cstdint>
#include <string>

#include "garmin/auth/di_auth.hpp"
#include "garmin/auth/oauth1_signer.hpp"
#include "garmin/auth/tokens.hpp"
#include "garmin/http/http_client.hpp"

namespace ble2garmin::garmin {

struct ConsumerCredentials {
    std::string key;
    std::string secret;
};

// GET of the garth consumer JSON {"consumer_key", "consumer_secret"}; an Error when unavailable.
Result<ConsumerCredentials> fetch_consumer_credentials(HttpClient& http, const std::string& url);

struct OAuth2Exchange : RenewOutcome {
    OAuth2Token token;  // ok: the new OAuth2 token
};

// POST <api_base_url>/oauth-service/oauth/exchange/user/2.0 signed with the consumer and the OAuth1
// token, `mfa_token` in the body when the token has one. A 401 means the OAuth1 token is dead
// (rejected). `now` is the Unix time (oauth_timestamp and the expiries).
OAuth2Exchange exchange_oauth1_for_oauth2(HttpClient& http, const std::string& api_base_url,
                                          const ConsumerCredentials& consumer, const OAuth1Token& oauth1,
                                          std::int64_t now);

}  // namespace ble2garmin::garmin
