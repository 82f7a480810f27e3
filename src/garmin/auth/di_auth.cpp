#include "garmin/auth/di_auth.hpp"

#include <nlohmann/json.hpp>

#include "garmin/http/encoding.hpp"
#include "garmin/http/native_headers.hpp"
#include "log/logging.hpp"

namespace ble2garmin::garmin {
namespace {

constexpr const char* k_token_path = "/di-oauth2-service/oauth/token";

// The `error` code of an OAuth2 error body ("invalid_grant"); never error_description, which may
// quote the token.
std::string oauth_error_code(const std::string& body)
{
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_object()) {
        if (const auto it = json.find("error"); it != json.end() && it->is_string()) {
            return it->get<std::string>();
        }
    }
    return {};
}

HttpRequest token_request(const std::string& diauth_base_url, const std::string& client_id,
                          const Parameters& form, const char* accept)
{
    HttpRequest request;
    request.method = "POST";
    request.url = diauth_base_url + k_token_path;
    request.headers = native_headers();
    request.headers.emplace_back("Authorization", basic_client_authorization(client_id));
    request.headers.emplace_back("Accept", accept);
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.headers.emplace_back("Cache-Control", "no-cache");
    request.body = form_encode(form);
    return request;
}

}  // namespace

DiExchange exchange_service_ticket(HttpClient& http, const std::string& diauth_base_url,
                                   const std::vector<std::string>& client_ids, const std::string& ticket,
                                   const std::string& service_url, std::int64_t now)
{
    auto log = logging::get("garmin");
    DiExchange result;
    std::string rejections;
    for (const auto& client_id : client_ids) {
        const auto request = token_request(diauth_base_url, client_id,
                                           {{"client_id", client_id},
                                            {"service_ticket", ticket},
                                            {"grant_type", k_service_ticket_grant},
                                            {"service_url", service_url}},
                                           "application/json,text/html;q=0.9,*/*;q=0.8");
        auto response = http.send(request);
        if (!response) {
            result.outcome = {LoginStatus::network, response.error().message, std::nullopt};
            return result;
        }
        if (response->status == 429) {
            result.outcome = {
                LoginStatus::rate_limited,
                "Garmin is rate-limiting the token service (HTTP 429): wait before trying again",
                retry_after_of(*response)};
            return result;
        }
        if (response->status >= 200 && response->status < 300) {
            auto tokens = di_tokens_from_response(response->body, now, client_id);
            if (!tokens) {
                result.outcome = {LoginStatus::failed, tokens.error().message, std::nullopt};
                return result;
            }
            log->info("ticket exchanged for DI tokens client_id={}", tokens->client_id);
            result.tokens = std::move(*tokens);
            result.outcome = {LoginStatus::ok, "tokens issued", std::nullopt};
            return result;
        }
        const std::string code = oauth_error_code(response->body);
        log->info("DI client id not accepted client_id={} status={} error={}", client_id, response->status,
                  code);
        rejections += (rejections.empty() ? "" : ", ") + client_id + " (HTTP " +
                      std::to_string(response->status) + (code.empty() ? "" : " " + code) + ")";
        if (code == "invalid_grant") {
            // The ticket itself is bad (expired, used, other service): no other id will help.
            result.outcome = {LoginStatus::failed,
                              "the service ticket was not accepted (expired, already used or for another "
                              "service): log in again",
                              std::nullopt};
            return result;
        }
    }
    result.outcome = {LoginStatus::failed,
                      "no DI client id was accepted: " + rejections + "; set [garmin] client_ids",
                      std::nullopt};
    return result;
}

bool renewal_cut_short(const Result<HttpResponse>& response, std::string_view what, RenewOutcome& outcome)
{
    if (!response) {
        outcome.status = RenewStatus::transient;
        outcome.message = response.error().message;
        return true;
    }
    if (response->status == 429) {
        outcome.status = RenewStatus::rate_limited;
        outcome.retry_after = retry_after_of(*response);
        outcome.message = "Garmin is rate-limiting " + std::string(what) + " (HTTP 429)";
        return true;
    }
    return false;
}

DiRefresh refresh_di_tokens(HttpClient& http, const std::string& diauth_base_url, const DiTokens& current,
                            std::int64_t now)
{
    DiRefresh result;
    const auto request = token_request(diauth_base_url, current.client_id,
                                       {{"grant_type", "refresh_token"},
                                        {"client_id", current.client_id},
                                        {"refresh_token", current.refresh_token}},
                                       "application/json");
    const auto response = http.send(request);
    if (renewal_cut_short(response, "the token refresh", result)) {
        return result;
    }
    if (response->status >= 500) {
        result.message = "the token refresh failed with HTTP " + std::to_string(response->status);
        return result;
    }
    if (response->status < 200 || response->status >= 300) {
        const std::string code = oauth_error_code(response->body);
        result.status = RenewStatus::rejected;
        result.message = "the refresh token was rejected (HTTP " + std::to_string(response->status) +
                         (code.empty() ? "" : " " + code) + "): log in again with `ble2garmin login`";
        return result;
    }
    auto tokens = di_tokens_from_response(response->body, now, current.client_id);
    if (!tokens) {
        result.message = tokens.error().message;
        return result;
    }
    // Rotation: the answer carries a new refresh token; keep the old one only if it does not.
    if (tokens->refresh_token.empty()) {
        tokens->refresh_token = current.refresh_token;
        tokens->refresh_expires_at = current.refresh_expires_at;
    }
    result.status = RenewStatus::ok;
    result.tokens = std::move(*tokens);
    return result;
}

}  // namespace ble2garmin::garmin
