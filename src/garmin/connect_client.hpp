#pragma once
// The authorized Garmin Connect API caller for one account. Usage:
//
//   auto client = garmin::ConnectClient::open(config, user.garmin_email);   // tokens from disk
//   if (!client) { /* no tokens / unreadable: client.error().message, user must log in */ }
//   garmin::ApiRequest request{"POST", "/upload-service/upload"};
//   request.file = garmin::MultipartFile{"file", "body_composition.fit", fit_bytes, ""};
//   const garmin::ApiResponse response = (*client)->call(request);
//   switch (response.outcome) { case garmin::ApiOutcome::success: … }
//
// call() sends <api_base_url><path> with the Connect app's headers and `Authorization: Bearer …`.
// Before sending it renews an access token that expires within 15 minutes (DI: refresh grant, the
// rotated refresh token saved to garmin_tokens.json at once; legacy garth: OAuth1 → OAuth2
// exchange, saved to oauth2_token.json). On a 401 it renews once and retries once, resending the
// same body. It never retries anything else and never sleeps: rate limits and transient failures
// are the caller's to schedule. Calls on one object are serialised (a mutex).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "ble2garmin/config.hpp"
#include "ble2garmin/result.hpp"

#include "garmin/auth/legacy_auth.hpp"
#include "garmin/auth/token_store.hpp"
#include "garmin/http/api_outcome.hpp"
#include "garmin/http/http_client.hpp"

namespace ble2garmin::garmin {

struct ApiRequest {
    std::string method = "GET";
    std::string path;  // "/upload-service/upload"; must start with '/', no ".." segment, no '#' or '\'
    Headers headers;   // added to (and overriding by name) the default ones
    std::string body;  // e.g. JSON; set Content-Type in `headers`
    std::optional<MultipartFile> file;  // multipart/form-data with this one part instead of `body`
};

struct ApiResponse {
    ApiOutcome outcome = ApiOutcome::transient;
    long status = 0;                  // HTTP status of the last attempt; 0 when none arrived
    std::string body;                 // of the last attempt
    Headers headers;                  // of the last attempt (names lower-case)
    std::optional<long> retry_after;  // seconds, when rate limited and Garmin said
    std::string message;              // one line for logs and users; never a token
};

enum class TokenKind { di, legacy };

class ConnectClient {
public:
    using Clock = std::function<std::int64_t()>;  // Unix seconds

    // The account `email` of `config` ([garmin] settings, tokens below config.garmin_token_dir()).
    // An Error when the account has no tokens (log in first) or they cannot be read.
    static Result<std::unique_ptr<ConnectClient>> open(
        const Config& config, const std::string& email,
        std::shared_ptr<const std::atomic<bool>> cancel = nullptr);
    // The same with an injected transport and clock (tests); `http` null = libcurl.
    static Result<std::unique_ptr<ConnectClient>> open(const GarminConfig& garmin,
                                                       const std::filesystem::path& token_dir,
                                                       const std::string& email,
                                                       std::unique_ptr<HttpClient> http, Clock clock);

    ApiResponse call(const ApiRequest& request);

    // Renews the access token now when it expires within 15 minutes, or always with `force`.
    // success when nothing was needed or the renewal worked; otherwise auth_failed (log in again),
    // rate_limited or transient, with a message.
    ApiResponse renew(bool force);

    TokenKind token_kind() const { return m_di ? TokenKind::di : TokenKind::legacy; }
    std::int64_t access_expires_at() const;

private:
    ConnectClient(GarminConfig garmin, TokenStore store, StoredTokens tokens,
                  std::unique_ptr<HttpClient> http, Clock clock);

    ApiResponse renew_locked(bool force);
    Result<HttpResponse> send_once(const ApiRequest& request);

    GarminConfig m_garmin;
    TokenStore m_store;
    std::optional<DiTokens> m_di;
    std::optional<LegacyTokens> m_legacy;
    std::optional<ConsumerCredentials> m_consumer;
    std::unique_ptr<HttpClient> m_http;
    Clock m_clock;
    std::mutex m_mutex;
};

// The libcurl options of `garmin` ([garmin] ca_file, user_agent, timeout_seconds).
HttpOptions http_options(const GarminConfig& garmin);

// Unix seconds now.
std::int64_t unix_now();

}  // namespace ble2garmin::garmin
