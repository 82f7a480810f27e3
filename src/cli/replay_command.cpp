// `ble2garmin replay FILE [--config FILE]`: feeds recorded advertisements (src/replay/replay_file.hpp
// documents the format) through the real dispatcher and pipeline into the CSV backup.

#include <iostream>

#include "app/load_config.hpp"
#include "app/replay_runner.hpp"
#include "cli/commands.hpp"
#include "config/loader.hpp"
#include "log/logging.hpp"
#include "store/state_lock.hpp"
#include "util/time.hpp"

namespace ble2garmin::cli {
namespace {

struct ReplayOptions {
    std::string file;
    std::string config = k_default_config_path;
};

int replay(const ReplayOptions& options)
{
    Config config;
    if (const int code = load_config_for_command(options.config, config); code != k_exit_ok) {
        return code;
    }
    auto session = replay::read_replay_file(options.file);
    if (!session) {
        std::cerr << "replay: " << session.error().message << "\n";
        return k_exit_failure;
    }
    for (const auto& problem : session->problems) {
        std::cerr << options.file << ":" << problem.line << ": skipped: " << problem.reason << "\n";
    }
    // One process per state directory: a running daemon owns the backups.
    auto lock = store::StateLock::acquire(config.general.state_directory, "replay");
    if (!lock) {
        std::cerr << "replay: " << lock.error().message << "; stop it first (systemctl stop ble2garmin)\n";
        return k_exit_failure;
    }
    auto summary = app::run_replay(config, *session, std::cout);
    if (!summary) {
        std::cerr << "replay: " << summary.error().message << "\n";
        return k_exit_runtime;
    }
    std::cout << summary->advertisements << " advertisements, " << summary->recorded
              << " measurements recorded (" << summary->unassigned << " unassigned), " << summary->duplicates
              << " duplicates, " << summary->failed
              << " not written; backup: " << config.miscale_csv_path().string() << "\n";
    return summary->failed == 0 ? k_exit_ok : k_exit_failure;
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<ReplayOptions>();
    auto* command =
        app.add_subcommand("replay", "Feed recorded advertisements through the pipeline into the CSV backup");
    command->add_option("file", options->file, "Replay file: TIME ADDRESS KIND HEX [RSSI] per line")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--config", options->config, "Configuration file")->capture_default_str();
    command->callback([options, &exit_code] { exit_code = replay(*options); });
}

}  // namespace ble2garmin::cli
