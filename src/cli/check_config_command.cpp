// `ble2garmin check-config [--config FILE]`: loads the configuration exactly as the daemon does
// (every [devices.*] table checked by its module), prints the effective configuration, defaults
// included, on stdout and "configuration OK" on stderr, after a "file: warning: …" line for anything
// that loads but cannot work as meant (app/config_warnings.hpp); exit 3 with one
// "file:line:column: …" line per problem otherwise.

#include <iostream>

#include "app/config_warnings.hpp"
#include "app/load_config.hpp"
#include "cli/commands.hpp"
#include "config/loader.hpp"

namespace ble2garmin::cli {
namespace {

struct CheckConfigOptions {
    std::string config = k_default_config_path;
};

int check_config(const CheckConfigOptions& options)
{
    Config config;
    try {
        config = load_config(options.config);
        std::cout << config::to_toml(config);
    } catch (const config::ConfigError& error) {
        std::cerr << error.what() << "\n";
        return k_exit_config;
    }
    const auto warnings = app::config_warnings(config);
    for (const auto& warning : warnings) {
        std::cerr << options.config << ": warning: " << warning << "\n";
    }
    std::cerr << "configuration OK"
              << (warnings.empty() ? "" : " (" + std::to_string(warnings.size()) + " warning(s) above)")
              << "\n";
    return k_exit_ok;
}

}  // namespace

void add_check_config_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<CheckConfigOptions>();
    auto* command =
        app.add_subcommand("check-config", "Validate the configuration and print it with every default");
    command->add_option("--config", options->config, "Configuration file")->capture_default_str();
    command->callback([options, &exit_code] { exit_code = check_config(*options); });
}

}  // namespace ble2garmin::cli
