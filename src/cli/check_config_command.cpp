// `ble2garmin check-config [--config FILE]`: loads the configuration exactly as the daemon does
// (every [devices.*] table checked by its module), prints the effective configuration, defaults
// included, on stdout and "configuration OK" on stderr; exit 3 with one "file:line:column: …" line
// per problem otherwise.

#include <iostream>

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
    try {
        const Config config = load_config(options.config);
        std::cout << config::to_toml(config);
    } catch (const config::ConfigError& error) {
        std::cerr << error.what() << "\n";
        return k_exit_config;
    }
    std::cerr << "configuration OK\n";
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
