#pragma once
// One file per subcommand; each registers itself on the CLI11 app and stores its exit code in
// `exit_code` when it runs. main() only calls run_cli().

#include <CLI/CLI.hpp>

#include "app/exit_codes.hpp"
#include "app/load_config.hpp"

namespace ble2garmin::cli {

// Exit codes and config loading live in app/ (the daemon needs them too); the commands name them
// unqualified.
using app::device_user_keys;
using app::k_default_config_path;
using app::k_exit_config;
using app::k_exit_failure;
using app::k_exit_ok;
using app::k_exit_runtime;
using app::k_exit_temporary;
using app::k_exit_usage;
using app::load_config;
using app::load_config_for_command;
using app::load_config_text;
using app::module_names;

void add_decode_command(CLI::App& app, int& exit_code);
void add_compose_command(CLI::App& app, int& exit_code);
void add_check_config_command(CLI::App& app, int& exit_code);
void add_migrate_config_command(CLI::App& app, int& exit_code);
void add_replay_command(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_scan_command(CLI::App& app, int& exit_code);
void add_login_command(CLI::App& app, int& exit_code);
void add_tokens_command(CLI::App& app, int& exit_code);
void add_upload_command(CLI::App& app, int& exit_code);
void add_rowing_command(CLI::App& app, int& exit_code);
void add_status_command(CLI::App& app, int& exit_code);
void add_report_command(CLI::App& app, int& exit_code);
void add_omron_command(CLI::App& app, int& exit_code);

// Parses argv, runs the chosen subcommand and returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace ble2garmin::cli
