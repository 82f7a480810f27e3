#include "garmin/auth/tokens.hpp"

#include <nlohmann/json.hpp>

#include "garmin/http/encoding.hpp"

namespace ble2garmin::garmin {
namespace {

using nlohmann::json;

std::optional<json> parse_object(std::string_view text)
{
    json value = json::parse(text, nullptr, false);
    if (value.is_discarded() || !value.is_object()) {
        return std::nullopt;
    }
    return value;
}

std::string string_field(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::string> optional_string(const json& object, const char* key)
{
    const auto it = object.find(key);
    if (it != object.end() && it->is_string()) {
        return it->get<std::string>();
    }
    return std::nullopt;
}

std::optional<std::int64_t> integer_field(const json& object, const char* key)
{
    const auto it = object.find(key);
    if (it == object.end()) {
        return std::nullopt;
    }
    if (it->is_number_integer()) {
        return it->get<std::int64_t>();
    }
    if (it->is_number_float()) {
        return static_cast<std::int64_t>(it->get<double>());
    }
    return std::nullopt;
}

json null_or(const std::optional<std::string>& value)
{
    return value ? json(*value) : json(nullptr);
}

}  // namespace

bool expires_soon(std::int64_t expires_at, std::int64_t now, std::int64_t skew)
{
    return expires_at <= 0 || now >= expires_at - skew;
}

std::optional<std::string> jwt_payload(std::string_view jwt)
{
    const auto first = jwt.find('.');
    if (first == std::string_view::npos) {
        return std::nullopt;
    }
    const auto second = jwt.find('.', first + 1);
    if (second == std::string_view::npos) {
        return std::nullopt;
    }
    return base64_decode(jwt.substr(first + 1, second - first - 1));
}

std::optional<std::int64_t> jwt_expiry(std::string_view jwt)
{
    const auto payload = jwt_payload(jwt);
    if (!payload) {
        return std::nullopt;
    }
    const auto claims = parse_object(*payload);
    return claims ? integer_field(*claims, "exp") : std::nullopt;
}

std::optional<std::string> jwt_string_claim(std::string_view jwt, std::string_view claim)
{
    const auto payload = jwt_payload(jwt);
    if (!payload) {
        return std::nullopt;
    }
    const auto claims = parse_object(*payload);
    return claims ? optional_string(*claims, std::string(claim).c_str()) : std::nullopt;
}

std::string di_tokens_to_json(const DiTokens& tokens)
{
    json out = {{"di_token", tokens.access_token},
                {"di_refresh_token", tokens.refresh_token},
                {"di_client_id", tokens.client_id},
                {"di_token_expires_at", tokens.expires_at}};
    if (tokens.refresh_expires_at) {
        out["di_refresh_token_expires_at"] = *tokens.refresh_expires_at;
    }
    return out.dump(2) + "\n";
}

Result<DiTokens> di_tokens_from_json(std::string_view text)
{
    const auto object = parse_object(text);
    if (!object) {
        return make_error("garmin_tokens.json is not a JSON object");
    }
    DiTokens tokens;
    tokens.access_token = string_field(*object, "di_token");
    tokens.refresh_token = string_field(*object, "di_refresh_token");
    tokens.client_id = string_field(*object, "di_client_id");
    if (tokens.access_token.empty() || tokens.refresh_token.empty()) {
        return make_error("garmin_tokens.json lacks di_token or di_refresh_token");
    }
    if (tokens.client_id.empty()) {
        tokens.client_id = jwt_string_claim(tokens.access_token, "client_id").value_or("");
    }
    if (tokens.client_id.empty()) {
        return make_error("garmin_tokens.json names no di_client_id");
    }
    tokens.expires_at =
        integer_field(*object, "di_token_expires_at").value_or(jwt_expiry(tokens.access_token).value_or(0));
    tokens.refresh_expires_at = integer_field(*object, "di_refresh_token_expires_at");
    return tokens;
}

Result<DiTokens> di_tokens_from_response(std::string_view body, std::int64_t now, std::string_view client_id)
{
    const auto object = parse_object(body);
    if (!object) {
        return make_error("the DI token response is not a JSON object");
    }
    DiTokens tokens;
    tokens.access_token = string_field(*object, "access_token");
    tokens.refresh_token = string_field(*object, "refresh_token");
    if (tokens.access_token.empty() || tokens.refresh_token.empty()) {
        return make_error("the DI token response lacks access_token or refresh_token");
    }
    tokens.client_id = jwt_string_claim(tokens.access_token, "client_id").value_or(std::string(client_id));
    if (const auto exp = jwt_expiry(tokens.access_token)) {
        tokens.expires_at = *exp;
    } else {
        tokens.expires_at = now + integer_field(*object, "expires_in").value_or(0);
    }
    if (const auto seconds = integer_field(*object, "refresh_token_expires_in")) {
        tokens.refresh_expires_at = now + *seconds;
    }
    return tokens;
}

std::string oauth1_to_json(const OAuth1Token& token)
{
    json out = {{"oauth_token", token.oauth_token},
                {"oauth_token_secret", token.oauth_token_secret},
                {"mfa_token", null_or(token.mfa_token)},
                {"mfa_expiration_timestamp", null_or(token.mfa_expiration_timestamp)},
                {"domain", token.domain}};
    return out.dump(4) + "\n";
}

Result<OAuth1Token> oauth1_from_json(std::string_view text)
{
    const auto object = parse_object(text);
    if (!object) {
        return make_error("oauth1_token.json is not a JSON object");
    }
    OAuth1Token token;
    token.oauth_token = string_field(*object, "oauth_token");
    token.oauth_token_secret = string_field(*object, "oauth_token_secret");
    if (token.oauth_token.empty() || token.oauth_token_secret.empty()) {
        return make_error("oauth1_token.json lacks oauth_token or oauth_token_secret");
    }
    token.mfa_token = optional_string(*object, "mfa_token");
    token.mfa_expiration_timestamp = optional_string(*object, "mfa_expiration_timestamp");
    if (auto domain = optional_string(*object, "domain"); domain && !domain->empty()) {
        token.domain = *domain;
    }
    return token;
}

std::string oauth2_to_json(const OAuth2Token& token)
{
    // garth's field order (spec §5.5); nlohmann::ordered_json keeps it.
    nlohmann::ordered_json out;
    out["scope"] = token.scope;
    out["jti"] = token.jti;
    out["token_type"] = token.token_type;
    out["access_token"] = token.access_token;
    out["refresh_token"] = token.refresh_token;
    out["expires_in"] = token.expires_in;
    out["expires_at"] = token.expires_at;
    out["refresh_token_expires_in"] = token.refresh_token_expires_in;
    out["refresh_token_expires_at"] = token.refresh_token_expires_at;
    return out.dump(4) + "\n";
}

Result<OAuth2Token> oauth2_from_json(std::string_view text)
{
    const auto object = parse_object(text);
    if (!object) {
        return make_error("oauth2_token.json is not a JSON object");
    }
    OAuth2Token token;
    token.scope = string_field(*object, "scope");
    token.jti = string_field(*object, "jti");
    token.token_type = string_field(*object, "token_type");
    token.access_token = string_field(*object, "access_token");
    token.refresh_token = string_field(*object, "refresh_token");
    if (token.access_token.empty()) {
        return make_error("oauth2_token.json lacks access_token");
    }
    token.expires_in = integer_field(*object, "expires_in").value_or(0);
    token.expires_at = integer_field(*object, "expires_at").value_or(0);
    token.refresh_token_expires_in = integer_field(*object, "refresh_token_expires_in").value_or(0);
    token.refresh_token_expires_at = integer_field(*object, "refresh_token_expires_at").value_or(0);
    return token;
}

Result<OAuth2Token> oauth2_from_response(std::string_view body, std::int64_t now)
{
    auto token = oauth2_from_json(body);
    if (!token) {
        return make_error("the OAuth2 exchange response lacks an access_token");
    }
    token->expires_at = now + token->expires_in;
    token->refresh_token_expires_at = now + token->refresh_token_expires_in;
    if (token->token_type.empty()) {
        token->token_type = "Bearer";
    }
    return token;
}

}  // namespace ble2garmin::garmin
