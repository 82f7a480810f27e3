#pragma once
// The Garmin tokens and their JSON files (shared/spec/garmin-connect.md §4.4, §5.5):
// - DI OAuth2, python-garminconnect 0.3 layout `garmin_tokens.json`:
//   {"di_token": <JWT>, "di_refresh_token": <opaque>, "di_client_id": <id>} plus two keys of ours,
//   "di_token_expires_at" and "di_refresh_token_expires_at" (epoch seconds), which garminconnect
//   ignores. Without them the access expiry comes from the JWT's `exp` claim.
// - legacy garth `oauth1_token.json` and `oauth2_token.json`.
// Times are Unix epoch seconds. Nothing here ever logs a token.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ble2garmin/result.hpp"

namespace ble2garmin::garmin {

// Refresh this long before the access token expires (spec §4.2: exp − 900 s).
inline constexpr std::int64_t k_refresh_skew_seconds = 900;

struct DiTokens {
    std::string access_token;
    std::string refresh_token;
    std::string client_id;
    std::int64_t expires_at = 0;                     // access token; 0 = unknown (treated as expired)
    std::optional<std::int64_t> refresh_expires_at;  // when known
};

struct OAuth1Token {
    std::string oauth_token;
    std::string oauth_token_secret;
    std::optional<std::string> mfa_token;
    std::optional<std::string> mfa_expiration_timestamp;  // ISO-8601, as garth writes it
    std::string domain = "garmin.com";
};

struct OAuth2Token {
    std::string scope;
    std::string jti;
    std::string token_type = "Bearer";
    std::string access_token;
    std::string refresh_token;
    std::int64_t expires_in = 0;
    std::int64_t expires_at = 0;
    std::int64_t refresh_token_expires_in = 0;
    std::int64_t refresh_token_expires_at = 0;
};

// True when a token expiring at `expires_at` must be renewed at `now` (within `skew` seconds).
bool expires_soon(std::int64_t expires_at, std::int64_t now, std::int64_t skew = k_refresh_skew_seconds);

// The payload claims of a JWT as JSON text; nullopt when `jwt` is not header.payload.signature.
std::optional<std::string> jwt_payload(std::string_view jwt);
// The numeric `exp` claim; nullopt when absent or not a JWT.
std::optional<std::int64_t> jwt_expiry(std::string_view jwt);
// A string claim such as `client_id`; nullopt when absent or not a JWT.
std::optional<std::string> jwt_string_claim(std::string_view jwt, std::string_view claim);

// garmin_tokens.json. An Error (naming the file kind, never a value) when malformed.
std::string di_tokens_to_json(const DiTokens& tokens);
Result<DiTokens> di_tokens_from_json(std::string_view text);

// The DI token endpoint's 200 body at time `now`; `client_id` is used when the JWT names none.
Result<DiTokens> di_tokens_from_response(std::string_view body, std::int64_t now, std::string_view client_id);

std::string oauth1_to_json(const OAuth1Token& token);
Result<OAuth1Token> oauth1_from_json(std::string_view text);
std::string oauth2_to_json(const OAuth2Token& token);
Result<OAuth2Token> oauth2_from_json(std::string_view text);
// The exchange endpoint's 200 body at time `now` (expires_at = now + expires_in, as garth does).
Result<OAuth2Token> oauth2_from_response(std::string_view body, std::int64_t now);

}  // namespace ble2garmin::garmin
