// `ble2garmin login --email ADDRESS [--password-file F | --ticket ST-…] [--config FILE]`: signs in to
// Garmin Connect (SSO + MFA, or a ticket from a browser), exchanges the ticket for DI OAuth2 tokens
// and saves them in the account's token folder (docs/garmin.md). Exit 0 when logged in, 1 when
// Garmin said no (wrong password, MFA, CAPTCHA, locked, rate limit) or the tokens could not be
// saved, 3 for an invalid configuration, 4 when Garmin could not be reached (network, TLS, timeout).

#include <iostream>

#include "app/load_config.hpp"
#include "cli/commands.hpp"
#include "cli/secret_input.hpp"
#include "garmin/auth/account_login.hpp"
#include "garmin/connect_client.hpp"

namespace ble2garmin::cli {
namespace {

struct LoginOptions {
    std::string config = k_default_config_path;
    std::string email;
    std::string password_file;
    std::string ticket;
    std::string service_url;
};

int exit_code_for(garmin::LoginStatus status)
{
    switch (status) {
        case garmin::LoginStatus::ok:
            return k_exit_ok;
        case garmin::LoginStatus::network:
            return k_exit_runtime;
        default:
            return k_exit_failure;
    }
}

int login(const LoginOptions& options)
{
    Config config;
    if (const int code = load_config_for_command(options.config, config); code != k_exit_ok) {
        return code;
    }
    const garmin::AccountLogin account{config.garmin, config.garmin_token_dir(), options.email, nullptr};
    garmin::LoginOutcome outcome;
    if (!options.ticket.empty()) {
        outcome = garmin::login_with_ticket(account, options.ticket, options.service_url);
    } else {
        std::string password;
        if (!options.password_file.empty()) {
            auto read = read_secret_file(options.password_file);
            if (!read) {
                std::cerr << read.error().message << "\n";
                return k_exit_failure;
            }
            password = std::move(*read);
        } else {
            auto line = read_secret_line("Garmin password for " + options.email + ": ", true);
            if (!line || line->empty()) {
                std::cerr << "no password given\n";
                return k_exit_failure;
            }
            password = std::move(*line);
        }
        outcome = garmin::login_with_password(account, password, [](int attempt) {
            return read_secret_line(
                attempt == 1 ? "Verification code from Garmin: " : "Code not accepted, verification code: ",
                false);
        });
    }
    if (outcome.status == garmin::LoginStatus::ok) {
        std::cout << "login ok: " << options.email << ": " << outcome.message << "\n";
        return k_exit_ok;
    }
    std::cout << "login failed (" << garmin::login_status_name(outcome.status) << "): " << options.email
              << ": " << outcome.message;
    if (outcome.retry_after) {
        std::cout << " (Garmin says retry after " << *outcome.retry_after << " s)";
    }
    std::cout << "\n";
    return exit_code_for(outcome.status);
}

}  // namespace

void add_login_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<LoginOptions>();
    auto* command = app.add_subcommand(
        "login",
        "Log in to Garmin Connect and save the account's tokens. The password is prompted without echo on a "
        "terminal; otherwise the password and then (if Garmin asks) the MFA code are read as lines from "
        "stdin");
    command->add_option("--email", options->email, "Garmin account e-mail address")->required();
    command
        ->add_option("--password-file", options->password_file,
                     "Read the password from the first line of this file instead")
        ->check(CLI::ExistingFile);
    command
        ->add_option("--ticket", options->ticket,
                     "Skip the password: exchange this service ticket (ST-…) obtained in a browser")
        ->excludes("--password-file");
    command->add_option("--service-url", options->service_url,
                        "The service the --ticket was issued for (default: the Android app's)");
    command->add_option("--config", options->config, "Configuration file")->capture_default_str();
    command->callback([options, &exit_code] { exit_code = login(*options); });
}

}  // namespace ble2garmin::cli
