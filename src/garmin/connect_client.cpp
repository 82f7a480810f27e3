#include "garmin/connect_client.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "garmin/auth/di_auth.hpp"
#include "garmin/http/native_headers.hpp"
#include "log/logging.hpp"
#include "util/time.hpp"

namespace ble2garmin::garmin {
namespace {

bool same_name(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool valid_path(std::string_view path)
{
    if (path.empty() || path.front() != '/' || path.find_first_of("#\\") != std::string_view::npos) {
        return false;
    }
    const std::string_view without_query = path.substr(0, path.find('?'));
    return without_query.find("/../") == std::string_view::npos &&
           (without_query.size() < 3 || without_query.substr(without_query.size() - 3) != "/..");
}

ApiResponse failure(ApiOutcome outcome, std::string message, std::optional<long> retry_after = std::nullopt)
{
    ApiResponse response;
    response.outcome = outcome;
    response.message = std::move(message);
    response.retry_after = retry_after;
    return response;
}

ApiOutcome from_renew(RenewStatus status)
{
    switch (status) {
        case RenewStatus::ok:
            return ApiOutcome::success;
        case RenewStatus::rejected:
            return ApiOutcome::auth_failed;
        case RenewStatus::rate_limited:
            return ApiOutcome::rate_limited;
        case RenewStatus::transient:
            return ApiOutcome::transient;
    }
    return ApiOutcome::transient;
}

}  // namespace

std::int64_t unix_now()
{
    return to_unix_seconds(std::chrono::system_clock::now());
}

HttpOptions http_options(const GarminConfig& garmin)
{
    HttpOptions options;
    options.ca_file = garmin.ca_file;
    options.user_agent = garmin.user_agent;
    options.total_timeout = std::chrono::seconds(garmin.timeout_seconds);
    return options;
}

Result<std::unique_ptr<ConnectClient>> ConnectClient::open(const Config& config, const std::string& email,
                                                           std::shared_ptr<const std::atomic<bool>> cancel)
{
    HttpOptions options = http_options(config.garmin);
    options.cancel = std::move(cancel);
    return open(config.garmin, config.garmin_token_dir(), email, make_curl_client(options), unix_now);
}

Result<std::unique_ptr<ConnectClient>> ConnectClient::open(const GarminConfig& garmin,
                                                           const std::filesystem::path& token_dir,
                                                           const std::string& email,
                                                           std::unique_ptr<HttpClient> http, Clock clock)
{
    auto directory = TokenStore::account_directory(token_dir, email);
    if (!directory) {
        return directory.error();
    }
    TokenStore store(*directory);
    auto tokens = store.load();
    if (!tokens) {
        return tokens.error();
    }
    if (tokens->empty()) {
        return make_error("no Garmin tokens for " + email + " in " + directory->string() +
                          ": run `ble2garmin login --email " + email + "`");
    }
    if (!http) {
        http = make_curl_client(http_options(garmin));
    }
    return std::unique_ptr<ConnectClient>(
        new ConnectClient(garmin, std::move(store), std::move(*tokens), std::move(http), std::move(clock)));
}

ConnectClient::ConnectClient(GarminConfig garmin, TokenStore store, StoredTokens tokens,
                             std::unique_ptr<HttpClient> http, Clock clock)
    : m_garmin(std::move(garmin)),
      m_store(std::move(store)),
      m_di(std::move(tokens.di)),
      m_http(std::move(http)),
      m_clock(std::move(clock))
{
    if (!m_di) {
        m_legacy = std::move(tokens.legacy);
    }
    if (!m_garmin.oauth_consumer_key.empty()) {
        m_consumer = ConsumerCredentials{m_garmin.oauth_consumer_key, m_garmin.oauth_consumer_secret};
    }
}

std::int64_t ConnectClient::access_expires_at() const
{
    if (m_di) {
        return m_di->expires_at;
    }
    return m_legacy && m_legacy->oauth2 ? m_legacy->oauth2->expires_at : 0;
}

ApiResponse ConnectClient::renew(bool force)
{
    const std::lock_guard lock(m_mutex);
    return renew_locked(force);
}

ApiResponse ConnectClient::renew_locked(bool force)
{
    auto log = logging::get("garmin");
    const std::int64_t now = m_clock();
    if (!force && !expires_soon(access_expires_at(), now)) {
        return failure(ApiOutcome::success, "access token still valid");
    }
    if (m_di) {
        auto lock = m_store.lock();
        if (!lock) {
            return failure(ApiOutcome::transient, lock.error().message);
        }
        // Another process may have refreshed while we waited: its tokens are the current ones, and
        // our refresh token is dead.
        if (auto latest = m_store.load();
            latest && latest->di && latest->di->refresh_token != m_di->refresh_token) {
            log->info("using the tokens another process refreshed expires_at={}", latest->di->expires_at);
            m_di = std::move(latest->di);
            if (!expires_soon(m_di->expires_at, now)) {
                return failure(ApiOutcome::success, "access token refreshed by another process");
            }
        }
        log->debug("refreshing the DI access token expires_at={} now={}", m_di->expires_at, now);
        auto refreshed = refresh_di_tokens(*m_http, m_garmin.diauth_base_url, *m_di, now);
        if (refreshed.status != RenewStatus::ok) {
            log->warn("DI token refresh failed result={}", refreshed.message);
            return failure(from_renew(refreshed.status), refreshed.message, refreshed.retry_after);
        }
        m_di = std::move(refreshed.tokens);
        // The old refresh token is dead from now on: the new one must reach the disk.
        if (auto saved = m_store.save_di(*m_di); !saved) {
            log->error("cannot save the rotated Garmin tokens error={}", saved.error().message);
            return failure(ApiOutcome::transient,
                           "the token was refreshed but cannot be saved: " + saved.error().message);
        }
        log->info("DI access token refreshed expires_at={}", m_di->expires_at);
        return failure(ApiOutcome::success, "access token refreshed");
    }
    if (!m_consumer) {
        auto consumer = fetch_consumer_credentials(*m_http, m_garmin.oauth_consumer_url);
        if (!consumer) {
            return failure(ApiOutcome::transient, consumer.error().message);
        }
        m_consumer = std::move(*consumer);
    }
    log->debug("exchanging the legacy OAuth1 token for OAuth2 now={}", now);
    auto exchanged =
        exchange_oauth1_for_oauth2(*m_http, m_garmin.api_base_url, *m_consumer, m_legacy->oauth1, now);
    if (exchanged.status != RenewStatus::ok) {
        log->warn("legacy OAuth2 exchange failed result={}", exchanged.message);
        return failure(from_renew(exchanged.status), exchanged.message, exchanged.retry_after);
    }
    m_legacy->oauth2 = std::move(exchanged.token);
    if (auto saved = m_store.save_oauth2(*m_legacy->oauth2); !saved) {
        log->error("cannot save the renewed legacy OAuth2 token error={}", saved.error().message);
    }
    return failure(ApiOutcome::success, "access token renewed");
}

Result<HttpResponse> ConnectClient::send_once(const ApiRequest& request)
{
    HttpRequest http;
    http.method = request.method;
    http.url = m_garmin.api_base_url + request.path;
    http.headers = native_headers();
    http.headers.emplace_back("Accept", "application/json");
    const std::string token = m_di ? m_di->access_token : m_legacy->oauth2->access_token;
    http.headers.emplace_back("Authorization", "Bearer " + token);
    for (const auto& extra : request.headers) {
        // (not a structured binding: clang 14 cannot capture one in the lambda)
        std::erase_if(http.headers,
                      [&extra](const auto& header) { return same_name(header.first, extra.first); });
        http.headers.push_back(extra);
    }
    http.body = request.body;
    http.file = request.file;
    return m_http->send(http);
}

ApiResponse ConnectClient::call(const ApiRequest& request)
{
    const std::lock_guard lock(m_mutex);
    auto log = logging::get("garmin");
    if (!valid_path(request.path)) {
        return failure(ApiOutcome::rejected, "invalid API path '" + request.path + "'");
    }
    if (auto renewed = renew_locked(false); renewed.outcome != ApiOutcome::success) {
        return renewed;
    }
    bool renewed_after_401 = false;
    for (;;) {
        auto sent = send_once(request);
        if (!sent) {
            return failure(ApiOutcome::transient, sent.error().message);
        }
        ApiResponse response;
        response.status = sent->status;
        response.outcome = classify_status(sent->status);
        response.body = std::move(sent->body);
        response.headers = std::move(sent->headers);
        if (sent->status == 401 && !renewed_after_401) {
            log->info("API answered 401, renewing the token once path={}", url_path(request.path));
            renewed_after_401 = true;
            if (auto renewed = renew_locked(true); renewed.outcome != ApiOutcome::success) {
                return renewed;
            }
            continue;
        }
        if (response.outcome == ApiOutcome::rate_limited) {
            response.retry_after = retry_after_of(HttpResponse{0, response.headers, {}});
        }
        response.message =
            "HTTP " + std::to_string(response.status) + " " + std::string(api_outcome_name(response.outcome));
        if (response.outcome == ApiOutcome::auth_failed) {
            response.message += ": Garmin refuses the tokens; log in again with `ble2garmin login`";
        }
        log->debug("api call method={} path={} status={} outcome={}", request.method, url_path(request.path),
                   response.status, api_outcome_name(response.outcome));
        return response;
    }
}

}  // namespace ble2garmin::garmin
