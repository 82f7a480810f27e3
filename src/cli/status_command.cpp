// `ble2garmin status [--json] [--config FILE]`: is it working, when was the last weighing, is Garmin up
// to date — read-only, beside the running daemon or without it (app/status_report.hpp).
// Exit 0 when the daemon runs, 1 when it does not (so `ble2garmin status >/dev/null || …` works in
// scripts), 3 for an invalid configuration.

#include <chrono>
#include <iostream>

#include "app/status_report.hpp"
#include "cli/commands.hpp"

namespace ble2garmin::cli {
namespace {

struct StatusOptions {
    std::string config = k_default_config_path;
    bool json = false;
};

int status(const StatusOptions& options)
{
    Config config;
    if (const int code = load_config_for_command(options.config, config); code != k_exit_ok) {
        return code;
    }
    const auto report = app::gather_status(config);
    if (options.json) {
        std::cout << app::format_status_json(report);
    } else {
        app::write_status_text(report, std::chrono::system_clock::now(), std::cout);
    }
    return report.daemon_running ? k_exit_ok : k_exit_failure;
}

}  // namespace

void add_status_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<StatusOptions>();
    auto* command = app.add_subcommand(
        "status",
        "Show whether the daemon runs, the scanner and each device, each user's last measurement, the rows "
        "waiting for Garmin and the Garmin tokens; read-only (exit 1 when the daemon is not running)");
    command->add_flag("--json", options->json, "One JSON object instead of the screen, for scripts");
    command->add_option("--config", options->config, "Configuration file")->capture_default_str();
    command->callback([options, &exit_code] { exit_code = status(*options); });
}

}  // namespace ble2garmin::cli
