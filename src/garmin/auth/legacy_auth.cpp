#include "garmin/auth/legacy_auth.hpp"

#include <nlohmann/json.hpp>

#include "garmin/http/native_headers.hpp"
#include "log/logging.hpp"

namespace ble2garmin::garmin {
namespace {

constexpr const char* k_exchange_path = "/oauth-service/oauth/exchange/user/2.0";
constexpr const char* k_oauth_user_agent = "com.garmin.android.apps.connectmobile";

}  // namespace

Result<ConsumerCredentials> fetch_consumer_credentials(HttpClient& http, const std::string& url)
{
    HttpRequest request;
    request.url = url;
    request.headers = {{"Accept", "application/json"}};
    auto response = http.send(request);
    if (!response) {
        return make_error("cannot fetch the OAuth consumer: " + response.error().message);
    }
    if (response->status != 200) {
        return make_error("cannot fetch the OAuth consumer: HTTP " + std::to_string(response->status) +
                          " from " + url_origin(url));
    }
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    if (!json.is_object() || !json.contains("consumer_key") || !json.contains("consumer_secret") ||
        !json["consumer_key"].is_string() || !json["consumer_secret"].is_string()) {
        return make_error("the OAuth consumer JSON lacks consumer_key or consumer_secret");
    }
    return ConsumerCredentials{json["consumer_key"].get<std::string>(),
                               json["consumer_secret"].get<std::string>()};
}

OAuth2Exchange exchange_oauth1_for_oauth2(HttpClient& http, const std::string& api_base_url,
                                          const ConsumerCredentials& consumer, const OAuth1Token& oauth1,
                                          std::int64_t now)
{
    OAuth2Exchange result;
    Parameters form;
    if (oauth1.mfa_token && !oauth1.mfa_token->empty()) {
        form.emplace_back("mfa_token", *oauth1.mfa_token);
    }
    HttpRequest request;
    request.method = "POST";
    request.url = api_base_url + k_exchange_path;
    const OAuth1Credentials credentials{consumer.key, consumer.secret, oauth1.oauth_token,
                                        oauth1.oauth_token_secret};
    request.headers = {
        {"User-Agent", k_oauth_user_agent},
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Accept", "application/json"},
        {"Authorization", oauth1_authorization("POST", request.url, form, credentials, oauth1_nonce(), now)}};
    request.body = form_encode(form);
    const auto response = http.send(request);
    if (renewal_cut_short(response, "the OAuth2 exchange", result)) {
        return result;
    }
    if (response->status == 401 || response->status == 403) {
        result.status = RenewStatus::rejected;
        result.message = "the legacy OAuth1 token was rejected (HTTP " + std::to_string(response->status) +
                         "): log in again with `ble2garmin login`";
        return result;
    }
    if (response->status < 200 || response->status >= 300) {
        result.message = "the OAuth1 → OAuth2 exchange failed with HTTP " + std::to_string(response->status);
        return result;
    }
    auto token = oauth2_from_response(response->body, now);
    if (!token) {
        result.message = token.error().message;
        return result;
    }
    logging::get("garmin")->info("legacy OAuth2 token renewed expires_in={}", token->expires_in);
    result.status = RenewStatus::ok;
    result.token = std::move(*token);
    return result;
}

}  // namespace ble2garmin::garmin
