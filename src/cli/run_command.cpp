// `ble2garmin run [--config FILE] [--adapter hciN|MAC]`: the daemon (src/app/daemon.hpp).

#include <iostream>

#include "app/daemon.hpp"
#include "app/load_config.hpp"
#include "cli/commands.hpp"
#include "config/loader.hpp"
#include "log/logging.hpp"
#include "util/time.hpp"

namespace ble2garmin::cli {
namespace {

struct RunOptions {
    std::string config = k_default_config_path;
    std::string adapter;
};

int run(const RunOptions& options)
{
    Config config;
    if (const int code = load_config_for_command(options.config, config); code != k_exit_ok) {
        return code;
    }
    return app::run_daemon(std::move(config), {options.config, options.adapter});
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<RunOptions>();
    auto* command =
        app.add_subcommand("run", "Run the daemon: scan with BlueZ and back up every measurement");
    command->add_option("--config", options->config, "Configuration file")->capture_default_str();
    command->add_option("--adapter", options->adapter,
                        "Bluetooth adapter (hci0 or its address); overrides the config");
    command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace ble2garmin::cli
