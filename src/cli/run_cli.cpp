#include "cli/commands.hpp"
#include "log/logging.hpp"

namespace ble2garmin::cli {

int run_cli(int argc, char** argv)
{
    CLI::App app{"ble2garmin: Bluetooth scales and blood-pressure cuffs to CSV, Garmin Connect and MQTT"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("ble2garmin ") + BLE2GARMIN_VERSION);
    int exit_code = k_exit_ok;
    add_decode_command(app, exit_code);
    add_compose_command(app, exit_code);
    add_check_config_command(app, exit_code);
    add_migrate_config_command(app, exit_code);
    add_replay_command(app, exit_code);
    add_demo_command(app, exit_code);
    add_run_command(app, exit_code);
    add_scan_command(app, exit_code);
    add_login_command(app, exit_code);
    add_tokens_command(app, exit_code);
    add_upload_command(app, exit_code);
    add_rowing_command(app, exit_code);
    add_status_command(app, exit_code);
    add_report_command(app, exit_code);
    add_omron_command(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? k_exit_ok : k_exit_usage;
    }
    return exit_code;
}

}  // namespace ble2garmin::cli
