// [garmin]: Garmin Connect login, tokens and uploads (docs/garmin.md, shared/spec/garmin-connect.md §2).

#include "config/sections.hpp"
#include "config/toml_checks.hpp"

namespace ble2garmin::config {
namespace {

// A base URL: https only (TLS is never optional), without a trailing slash.
std::optional<std::string> https_url(TableReader& reader, std::string_view key)
{
    auto url = reader.string(key);
    if (!url) {
        return std::nullopt;
    }
    if (url->rfind("https://", 0) != 0 || url->size() <= 8) {
        reader.problem(key, "must be an https:// URL (found \"" + *url + "\")");
        return std::nullopt;
    }
    while (url->back() == '/') {
        url->pop_back();
    }
    return url;
}

}  // namespace

void read_garmin(const toml::node& node, GarminConfig& garmin, Problems& problems)
{
    const auto* table = node.as_table();
    if (table == nullptr) {
        problems.add(node, "'garmin' must be a table (found " + std::string(type_name(node)) + ")");
        return;
    }
    TableReader reader(*table, "garmin", problems);
    reader.reject_unknown_keys({"enabled", "token_dir", "domain", "sso_base_url", "api_base_url",
                                "diauth_base_url", "ca_file", "user_agent", "client_ids", "verify_uploads",
                                "dry_run", "dry_run_directory", "timeout_seconds", "oauth_consumer_key",
                                "oauth_consumer_secret", "oauth_consumer_url"});
    if (auto flag = reader.boolean("enabled")) {
        garmin.enabled = *flag;
    }
    if (auto directory = reader.non_empty_string("token_dir")) {
        garmin.token_dir = *directory;
    }
    if (auto domain = reader.choice("domain", {"garmin.com", "garmin.cn"})) {
        // The domain only sets the defaults; an explicit base URL below wins.
        garmin.domain = *domain;
        garmin.sso_base_url = "https://sso." + *domain;
        garmin.api_base_url = "https://connectapi." + *domain;
        garmin.diauth_base_url = "https://diauth." + *domain;
    }
    if (auto url = https_url(reader, "sso_base_url")) {
        garmin.sso_base_url = *url;
    }
    if (auto url = https_url(reader, "api_base_url")) {
        garmin.api_base_url = *url;
    }
    if (auto url = https_url(reader, "diauth_base_url")) {
        garmin.diauth_base_url = *url;
    }
    if (auto file = reader.string("ca_file")) {
        garmin.ca_file = *file;
    }
    if (auto agent = reader.non_empty_string("user_agent")) {
        garmin.user_agent = *agent;
    }
    if (auto ids = reader.string_list("client_ids")) {
        bool valid = !ids->empty();
        for (const auto& id : *ids) {
            valid = valid && !id.empty();
        }
        if (valid) {
            garmin.client_ids = std::move(*ids);
        } else {
            reader.problem("client_ids", "must list at least one client id, none of them empty");
        }
    }
    if (auto flag = reader.boolean("verify_uploads")) {
        garmin.verify_uploads = *flag;
    }
    if (auto flag = reader.boolean("dry_run")) {
        garmin.dry_run = *flag;
    }
    if (auto directory = reader.non_empty_string("dry_run_directory")) {
        garmin.dry_run_directory = *directory;
    }
    if (auto seconds = reader.integer("timeout_seconds", 1, 600)) {
        garmin.timeout_seconds = static_cast<int>(*seconds);
    }
    auto key = reader.string("oauth_consumer_key");
    auto secret = reader.string("oauth_consumer_secret");
    if (key.has_value() != secret.has_value() || (key && (key->empty() || secret->empty()))) {
        reader.problem(key ? "oauth_consumer_key" : "oauth_consumer_secret",
                       "must be set together with a non-empty oauth_consumer_key and oauth_consumer_secret");
    } else if (key) {
        garmin.oauth_consumer_key = *key;
        garmin.oauth_consumer_secret = *secret;
    }
    if (auto url = https_url(reader, "oauth_consumer_url")) {
        garmin.oauth_consumer_url = *url;
    }
}

}  // namespace ble2garmin::config
