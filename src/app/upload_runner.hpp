#pragma once
// `ble2garmin upload`: one pass of the Garmin outbox over the store, outside the daemon
// (export2garmin's `switch_bt=off` use: flush what is pending, then exit). The caller holds the
// state directory's lock (app/state_lock.hpp).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <ostream>

#include "ble2garmin/config.hpp"
#include "ble2garmin/result.hpp"

#include "garmin/outbox/outbox.hpp"

namespace ble2garmin::app {

struct UploadSummary {
    std::size_t uploaded = 0;        // accepted, or already there (409)
    std::size_t parked_now = 0;      // refused in this pass (by Garmin, or values that can never be sent)
    std::size_t parked_earlier = 0;  // refused before this pass and reported then (not retried)
    std::size_t written = 0;         // dry run: FIT files written
    std::size_t still_pending = 0;   // rows with a Garmin account left to_import/failed (not parked)
    bool login_needed = false;       // Garmin refused the tokens of an account (or it has none)
};

struct UploadPassOptions {
    bool include_local = false;       // `local` rows (stored while uploads were off) are sent too
    bool retry_parked = false;        // parked rows are tried again
    bool ignore_rate_limits = false;  // `--now`: a 429 cool-down is ignored too (with a warning)
};

// Sends one row to Garmin and says what came of it.
using UploadFunction = std::function<garmin::UploadAnswer(const garmin::OutboxJob&)>;

// Uploads every waiting row once, oldest first per account; an account stops at its first failure
// (its later rows wait with it). Waits after failures are ignored — the user asked for this run —
// but a 429 cool-down is respected unless `ignore_rate_limits`. The backups are rewritten once at the end.
// Prints one line per row to `out`. An Error when the store cannot be opened or written.
Result<UploadSummary> run_upload_once(const Config& config, const UploadFunction& upload, SystemTime now,
                                      std::ostream& out, const UploadPassOptions& options = {});

// Writes the FIT file each waiting scale row would be uploaded as to `directory`/<account>/<T>.fit
// and changes nothing else (no upload, no status change). An Error when the store cannot be opened
// or a file cannot be written.
Result<UploadSummary> write_dry_run(const Config& config, const std::filesystem::path& directory,
                                    std::ostream& out, const UploadPassOptions& options = {});

// Writes `fit` to `directory`/<email>/<T>.fit (folders 0700, file 0600, atomically); the path, or an
// Error. Shared by `upload --dry-run` and the daemon's dry run.
Result<std::filesystem::path> write_dry_run_file(const std::filesystem::path& directory,
                                                 const std::string& email, std::int64_t unix_time,
                                                 const Bytes& fit);

}  // namespace ble2garmin::app
