#pragma once
// One file per subcommand; each registers itself on the CLI11 app and stores its exit code in
// `exit_code` when it runs. main() only calls run_cli().

#include <CLI/CLI.hpp>

namespace ble2garmin::cli {

// Exit codes shared by every subcommand.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;  // the command ran and said no (decode failed, bad input)
inline constexpr int k_exit_usage = 2;    // command-line error (CLI11)
inline constexpr int k_exit_config = 3;   // the configuration is invalid
inline constexpr int k_exit_runtime = 4;  // cannot continue (no bus, unwritable state directory)

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

// Parses argv, runs the chosen subcommand and returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace ble2garmin::cli
