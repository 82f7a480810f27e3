// `ble2garmin upload [--include-local] [--retry-parked] [--now] [--dry-run [--output DIR]] [--list]`:
// one pass of the Garmin outbox over the backup (every to_import/failed row, oldest first per
// account), then exit. The daemon does the same continuously; this is for setups without it
// (export2garmin's switch_bt=off, a cron job or a systemd timer) and for checking what would be sent.
//
// Exit status (docs/garmin.md "upload by hand"): 0 when nothing is left that this run could send
// (rows parked in an earlier run were reported then and do not fail every later run); 1 when the
// user is needed now (a row was refused in this run, or an account must log in again); 75 when rows
// wait for Garmin for a temporary reason (network, server error, rate limit) — run again later.

#include <chrono>
#include <iostream>

#include "app/load_config.hpp"
#include "app/upload_list.hpp"
#include "app/upload_runner.hpp"
#include "cli/commands.hpp"
#include "garmin/outbox/connect_uploader.hpp"
#include "pipeline/store_setup.hpp"
#include "store/state_lock.hpp"

namespace ble2garmin::cli {
namespace {

struct UploadOptions {
    std::string config = k_default_config_path;
    bool dry_run = false;
    bool include_local = false;
    bool retry_parked = false;
    bool now = false;
    bool list = false;
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

// `--list`: with the backups when no other process holds them, else the parked rows alone.
int list(const Config& config, const UploadOptions& options)
{
    const auto now = std::chrono::system_clock::now();
    const auto schedule =
        garmin::OutboxSchedule::open(config.general.state_directory / garmin::k_outbox_state_file);
    auto lock = store::StateLock::acquire(config.general.state_directory, "upload --list");
    if (!lock) {
        if (!store::StateLock::held_by_daemon(lock.error())) {
            std::cerr << refusal(lock.error()) << "\n";
            return k_exit_failure;
        }
        app::write_upload_list(schedule, nullptr, now, std::cout);
        return k_exit_ok;
    }
    auto store = pipeline::open_store(config, device_modules(), now, options.include_local);
    if (!store) {
        std::cerr << "upload: " << store.error().message << "\n";
        return k_exit_runtime;
    }
    app::write_upload_list(schedule, store->get(), now, std::cout);
    return k_exit_ok;
}

int exit_status(const app::UploadSummary& summary)
{
    if (summary.parked_now > 0 || summary.login_needed) {
        return k_exit_failure;
    }
    return summary.still_pending > 0 ? k_exit_temporary : k_exit_ok;
}

int upload(const UploadOptions& options)
{
    Config config;
    if (const int code = load_config_for_command(options.config, config); code != k_exit_ok) {
        return code;
    }
    if (options.list) {
        return list(config, options);
    }
    auto lock = store::StateLock::acquire(config.general.state_directory, "upload");
    if (!lock) {
        std::cerr << refusal(lock.error()) << "\n";
        return k_exit_failure;
    }
    const app::UploadPassOptions pass{options.include_local, options.retry_parked, options.now};
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
    std::cout << summary->uploaded << " uploaded, " << summary->parked_now << " parked now, "
              << summary->parked_earlier << " parked earlier, " << summary->still_pending
              << " still pending\n";
    return exit_status(*summary);
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
    command->add_flag(
        "--retry-parked", options->retry_parked,
        "Try the rows Garmin refused earlier again (they are parked: not retried on their own)");
    command->add_flag("--now", options->now,
                      "Ignore the waits after failures and Garmin's rate limit (429) for this run; sending "
                      "early can make a rate limit last longer");
    command->add_flag("--list", options->list,
                      "List the rows waiting for Garmin and what holds each (parked rows with the reason); "
                      "change nothing");
    command->add_option("--output", options->output,
                        "Folder for --dry-run files (default: [garmin] dry_run_directory)");
    command->callback([options, &exit_code] { exit_code = upload(*options); });
}

}  // namespace ble2garmin::cli
