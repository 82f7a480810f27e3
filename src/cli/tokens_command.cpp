// `ble2garmin tokens import|status|verify`: the Garmin token folders (docs/garmin.md).
// - import DIR --email ADDRESS: copies an export2garmin / python-garminconnect (garmin_tokens.json) or
//   garth (oauth1_token.json, oauth2_token.json) token folder into the account's folder, 0600/0700.
// - status: per account, the token kind and expiries; never a token.
// - verify --email ADDRESS [--refresh]: one authorized profile read (refreshing when due, or first
//   with --refresh), the way the uploader calls Garmin.
// Exit 0 ok, 1 when a token folder is unusable or Garmin refuses the tokens, 3 config, 4 no answer.

#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/load_config.hpp"
#include "cli/commands.hpp"
#include "garmin/auth/token_import.hpp"
#include "garmin/auth/token_store.hpp"
#include "garmin/auth/token_summary.hpp"
#include "garmin/connect_client.hpp"
#include "util/time.hpp"

namespace ble2garmin::cli {
namespace {

struct TokensOptions {
    std::string config = k_default_config_path;
    std::string email;
    std::string source;
    bool refresh = false;
};

int import_command(const TokensOptions& options)
{
    Config config;
    if (const int code = load_config_for_command(options.config, config); code != k_exit_ok) {
        return code;
    }
    auto directory = garmin::TokenStore::account_directory(config.garmin_token_dir(), options.email);
    if (!directory) {
        std::cerr << directory.error().message << "\n";
        return k_exit_failure;
    }
    const garmin::TokenStore store(*directory);
    auto kind = garmin::import_tokens(options.source, store);
    if (!kind) {
        std::cerr << "import failed: " << kind.error().message << "\n";
        return k_exit_failure;
    }
    std::cout << "imported " << *kind << " tokens for " << options.email << " into " << directory->string()
              << "\n";
    return k_exit_ok;
}

int status_command(const TokensOptions& options)
{
    Config config;
    if (const int code = load_config_for_command(options.config, config); code != k_exit_ok) {
        return code;
    }
    const auto root = config.garmin_token_dir();
    const auto accounts = garmin::token_accounts(config);
    if (accounts.empty()) {
        std::cout << "no Garmin accounts (token folder " << root.string() << ")\n";
        return k_exit_ok;
    }
    int exit_code = k_exit_ok;
    const std::int64_t now = garmin::unix_now();
    const auto when = [now](std::int64_t at) { return garmin::describe_expiry(at, now); };
    for (const auto& email : accounts) {
        const auto summary = garmin::summarize_tokens(root, email);
        switch (summary.state) {
            case garmin::TokenSummary::State::unreadable:
                std::cout << email << ": unreadable: " << summary.problem << "\n";
                exit_code = k_exit_failure;
                break;
            case garmin::TokenSummary::State::none:
                std::cout << email << ": no tokens: run `ble2garmin login --email " << email << "`\n";
                break;
            case garmin::TokenSummary::State::di:
                std::cout << email << ": DI OAuth2 (client id " << summary.client_id
                          << "), access token expires " << when(summary.access_expires_at.value_or(0))
                          << ", refresh token expires "
                          << (summary.refresh_expires_at ? when(*summary.refresh_expires_at)
                                                         : std::string("unknown"))
                          << "\n";
                break;
            case garmin::TokenSummary::State::legacy:
                std::cout << email << ": legacy garth OAuth1/OAuth2, access token expires "
                          << (summary.access_expires_at ? when(*summary.access_expires_at)
                                                        : std::string("(none yet)"))
                          << ", renewed with the OAuth1 token (valid about a year";
                if (summary.mfa_until) {
                    std::cout << ", MFA token until " << *summary.mfa_until;
                }
                std::cout << ")\n";
                break;
        }
    }
    return exit_code;
}

int verify_command(const TokensOptions& options)
{
    Config config;
    if (const int code = load_config_for_command(options.config, config); code != k_exit_ok) {
        return code;
    }
    auto client = garmin::ConnectClient::open(config, options.email);
    if (!client) {
        std::cerr << client.error().message << "\n";
        return k_exit_failure;
    }
    garmin::ApiResponse response;
    if (options.refresh) {
        response = (*client)->renew(true);
    }
    if (!options.refresh || response.outcome == garmin::ApiOutcome::success) {
        response = (*client)->call({"GET", "/userprofile-service/socialProfile", {}, {}, std::nullopt});
    }
    if (response.outcome != garmin::ApiOutcome::success) {
        std::cout << "tokens not usable (" << garmin::api_outcome_name(response.outcome)
                  << "): " << options.email << ": " << response.message << "\n";
        return response.outcome == garmin::ApiOutcome::transient ? k_exit_runtime : k_exit_failure;
    }
    const auto profile = nlohmann::json::parse(response.body, nullptr, false);
    std::string name = "?";
    if (profile.is_object() && profile.contains("displayName") && profile["displayName"].is_string()) {
        name = profile["displayName"].get<std::string>();
    }
    std::cout << "tokens ok: " << options.email << ": Garmin profile " << name << "\n";
    return k_exit_ok;
}

}  // namespace

void add_tokens_command(CLI::App& app, int& exit_code)
{
    auto* tokens = app.add_subcommand("tokens", "Garmin Connect token folders: import, status, verify");
    tokens->require_subcommand(1);

    auto import_options = std::make_shared<TokensOptions>();
    auto* import = tokens->add_subcommand(
        "import",
        "Copy an export2garmin / python-garminconnect (garmin_tokens.json) or garth (oauth1_token.json, "
        "oauth2_token.json) token folder into the account's token folder (files 0600, folder 0700)");
    import->add_option("DIR", import_options->source, "Token folder (or a garmin_tokens.json file) to import")
        ->required()
        ->check(CLI::ExistingPath);
    import->add_option("--email", import_options->email, "Garmin account e-mail address")->required();
    import->add_option("--config", import_options->config, "Configuration file")->capture_default_str();
    import->callback([import_options, &exit_code] { exit_code = import_command(*import_options);
});

auto status_options = std::make_shared<TokensOptions>();
auto* status = tokens->add_subcommand(
    "status", "List each account's token kind and expiries (never the tokens themselves)");
status->add_option("--config", status_options->config, "Configuration file")->capture_default_str();
status->callback([status_options, &exit_code] { exit_code = status_command(*status_options); });

auto verify_options = std::make_shared<TokensOptions>();
auto* verify = tokens->add_subcommand(
    "verify", "Read the account's Garmin profile with its tokens, refreshing them when due");
verify->add_option("--email", verify_options->email, "Garmin account e-mail address")->required();
verify->add_flag("--refresh", verify_options->refresh, "Refresh the access token first, even if still valid");
verify->add_option("--config", verify_options->config, "Configuration file")->capture_default_str();
verify->callback([verify_options, &exit_code] { exit_code = verify_command(*verify_options); });
}  // namespace ble2garmin::cli

}  // namespace ble2garmin::cli
