#include "garmin/auth/oauth1_signer.hpp"

#include <algorithm>
#include <cctype>
#include <random>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace ble2garmin::garmin {

std::string oauth1_base_uri(std::string_view url)
{
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return std::string(url);
    }
    std::string scheme(url.substr(0, scheme_end));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::size_t host_start = scheme_end + 3;
    const auto path_start = url.find_first_of("/?#", host_start);
    std::string authority(url.substr(
        host_start, path_start == std::string_view::npos ? std::string_view::npos : path_start - host_start));
    std::transform(authority.begin(), authority.end(), authority.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::string default_port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : "";
    if (!default_port.empty() && authority.size() > default_port.size() &&
        authority.compare(authority.size() - default_port.size(), default_port.size(), default_port) == 0) {
        authority.resize(authority.size() - default_port.size());
    }
    std::string path = "/";
    if (path_start != std::string_view::npos && url[path_start] == '/') {
        const auto path_end = url.find_first_of("?#", path_start);
        path = std::string(url.substr(
            path_start, path_end == std::string_view::npos ? std::string_view::npos : path_end - path_start));
    }
    return scheme + "://" + authority + path;
}

std::string oauth1_base_string(std::string_view method, std::string_view url,
                               const Parameters& oauth_parameters, const Parameters& form_parameters)
{
    Parameters all;
    if (const auto query = url.find('?'); query != std::string_view::npos) {
        const auto fragment = url.find('#', query);
        all = parse_form(url.substr(
            query + 1, fragment == std::string_view::npos ? std::string_view::npos : fragment - query - 1));
    }
    all.insert(all.end(), oauth_parameters.begin(), oauth_parameters.end());
    all.insert(all.end(), form_parameters.begin(), form_parameters.end());
    std::vector<std::pair<std::string, std::string>> encoded;
    encoded.reserve(all.size());
    for (const auto& [key, value] : all) {
        if (key != "oauth_signature") {
            encoded.emplace_back(percent_encode(key), percent_encode(value));
        }
    }
    std::sort(encoded.begin(), encoded.end());
    std::string normalised;
    for (const auto& [key, value] : encoded) {
        normalised += normalised.empty() ? "" : "&";
        normalised += key + "=" + value;
    }
    std::string upper(method);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return upper + "&" + percent_encode(oauth1_base_uri(url)) + "&" + percent_encode(normalised);
}

std::string oauth1_signature(std::string_view base_string, std::string_view consumer_secret,
                             std::string_view token_secret)
{
    const std::string key = percent_encode(consumer_secret) + "&" + percent_encode(token_secret);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(base_string.data()), base_string.size(), digest, &length);
    return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string oauth1_authorization(std::string_view method, std::string_view url,
                                 const Parameters& form_parameters, const OAuth1Credentials& credentials,
                                 std::string_view nonce, std::int64_t timestamp)
{
    // The order garth's requests-oauthlib sends (spec §5.4); the server sorts anyway.
    Parameters oauth = {{"oauth_nonce", std::string(nonce)},
                        {"oauth_timestamp", std::to_string(timestamp)},
                        {"oauth_version", "1.0"},
                        {"oauth_signature_method", "HMAC-SHA1"},
                        {"oauth_consumer_key", credentials.consumer_key}};
    if (!credentials.token.empty()) {
        oauth.emplace_back("oauth_token", credentials.token);
    }
    const std::string base = oauth1_base_string(method, url, oauth, form_parameters);
    oauth.emplace_back("oauth_signature",
                       oauth1_signature(base, credentials.consumer_secret, credentials.token_secret));
    std::string header = "OAuth ";
    for (std::size_t i = 0; i < oauth.size(); ++i) {
        header += (i == 0 ? "" : ", ") + oauth[i].first + "=\"" + percent_encode(oauth[i].second) + "\"";
    }
    return header;
}

std::string oauth1_nonce()
{
    static thread_local std::random_device device;
    std::uniform_int_distribution<int> digit(0, 9);
    std::string nonce;
    for (int i = 0; i < 30; ++i) {
        nonce += static_cast<char>('0' + digit(device));
    }
    return nonce;
}

}  // namespace ble2garmin::garmin
