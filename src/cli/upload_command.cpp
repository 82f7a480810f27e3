// `ble2garmin upload [--dry-run [--output DIR]] [--config FILE]`: one pass of the Garmin outbox over
// the backup (every to_import/failed row, oldest first per account), then exit. The daemon does the
// same continuously; this is for setups without it (export2garmin's switch_bt=off) and for checking
// what would be sent.

#include <chrono>
#include <iostream>

#include "app/load_config.hpp"
#include "app/upload_runner.hpp"
#include "cli/commands.hpp"
#include "garmin/outbox/connect_uploader.hpp"
#include "store/state_lock.hpp"

namespace ble2garmin::cli {
namespace {

struct UploadOptions {
    std::string config = k_default_config_path;
    bool dry_run = false;
    bool include_local = false;
    std::string output;
};

// The refusal when another process holds the state directory, in one line saying what to do.
std::string refusal(const Error& error)
{
    if (store::StateLock::held_by_daemon(error)) {
        return "upload: " + error.message +
               " and uploads waiting rows itself (journalctl -u ble2garmin shows them); stop it first "
               "(systemctl stop ble2garmin) to run a pass by hand";
    }
    return "upload: " + error.message + "; try again when it has finished";
}

int upload(const UploadOptions& options)
{
    Config config;
    if (const int code = load_config_for_command(options.config, config); code != k_exit_ok) {
        return code;
    }
    auto lock = store::StateLock::acquire(config.general.state_directory, "upload");
    if (!lock) {
        std::cerr << refusal(lock.error()) << "\n";
        return k_exit_failure;
    }
    const app::UploadPassOptions pass{options.include_local};
    if (options.dry_run || config.garmin.dry_run) {
        const auto directory = options.output.empty() ? config.garmin_dry_run_directory()
                                                      : std::filesystem::path(options.output);
        auto summary = app::write_dry_run(config, directory, std::cout, pass);
        if (!summary) {
            std::cerr << "upload: " << summary.error().message << "\n";
            return k_exit_runtime;
        }
        std::cout << "dry run: " << summary->written << " FIT file(s) written to " << directory.string()
                  << "; nothing was uploaded or changed\n";
        return k_exit_ok;
    }
    if (!config.garmin.enabled) {
        std::cerr << "upload: Garmin upload is off: set 'enabled = true' in [garmin] of " << options.config
                  << " (or use --dry-run)\n";
        return k_exit_config;
    }
    garmin::ConnectUploader uploader(config);
    auto summary = app::run_upload_once(
        config, [&](const garmin::OutboxJob& job) { return uploader.upload(job); },
        std::chrono::system_clock::now(), std::cout, pass);
    if (!summary) {
        std::cerr << "upload: " << summary.error().message << "\n";
        return k_exit_runtime;
    }
    std::cout << summary->uploaded << " uploaded, " << summary->refused << " parked (refused, not retried), "
              << summary->still_pending << " still pending (see the log lines above for why)\n";
    return summary->still_pending == 0 && summary->refused == 0 ? k_exit_ok : k_exit_failure;
}

}  // namespace

void add_upload_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<UploadOptions>();
    auto* command = app.add_subcommand(
        "upload", "Upload every pending backup row to Garmin Connect once (oldest first), then exit");
    command->add_option("--config", options->config, "Configuration file")->capture_default_str();
    command->add_flag("--dry-run", options->dry_run,
                      "Write the FIT file of each pending row instead of uploading; change nothing");
    command->add_flag("--include-local", options->include_local,
                      "Also upload the rows stored as `local` while Garmin uploads were off (or the user had "
                      "no garmin_email)");
    command->add_option("--output", options->output,
                        "Folder for --dry-run files (default: [garmin] dry_run_directory)");
    command->callback([options, &exit_code] { exit_code = upload(*options); });
}

}  // namespace ble2garmin::cli
