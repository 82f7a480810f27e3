#pragma once
// RFC 5849 OAuth 1.0 request signing with HMAC-SHA1, as the legacy garth token exchange needs it
// (shared/spec/garmin-connect.md §5.4). Pure functions: the nonce and timestamp are arguments.

#include <cstdint>
#include <string>
#include <string_view>

#include "garmin/http/encoding.hpp"

namespace ble2garmin::garmin {

struct OAuth1Credentials {
    std::string consumer_key;
    std::string consumer_secret;
    std::string token;         // empty: a consumer-only signature (no oauth_token)
    std::string token_secret;  // empty with `token`
};

// RFC 5849 §3.4.1.2: lower-case scheme and host, default port dropped, path kept, no query.
std::string oauth1_base_uri(std::string_view url);

// RFC 5849 §3.4.1: METHOD & pct(base URI) & pct(normalised parameters), where the parameters are
// the decoded query of `url`, `oauth_parameters` and `form_parameters` (the decoded
// application/x-www-form-urlencoded body), each pair percent-encoded, sorted, joined with '&'.
std::string oauth1_base_string(std::string_view method, std::string_view url,
                               const Parameters& oauth_parameters, const Parameters& form_parameters);

// base64(HMAC-SHA1(pct(consumer_secret) & pct(token_secret), base_string)).
std::string oauth1_signature(std::string_view base_string, std::string_view consumer_secret,
                             std::string_view token_secret);

// The whole "OAuth oauth_nonce=…, …, oauth_signature=…" header value for one request.
std::string oauth1_authorization(std::string_view method, std::string_view url,
                                 const Parameters& form_parameters, const OAuth1Credentials& credentials,
                                 std::string_view nonce, std::int64_t timestamp);

// A fresh nonce: 30 random decimal digits (oauthlib's shape).
std::string oauth1_nonce();

}  // namespace ble2garmin::garmin
