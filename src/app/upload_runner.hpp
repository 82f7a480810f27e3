#pragma once
// `ble2garmin upload`: one pass of the Garmin outbox over the backup, outside the daemon
// (export2garmin's `switch_bt=off` use: flush what is pending, then exit).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <ostream>

#include "ble2garmin/config.hpp"
#include "ble2garmin/result.hpp"

#include "garmin/outbox.hpp"

namespace ble2garmin::app {

struct UploadSummary {
    std::size_t uploaded = 0;       // accepted, or already there (409)
    std::size_t refused = 0;        // parked: Garmin refused it
    std::size_t written = 0;        // dry run: FIT files written
    std::size_t still_pending = 0;  // rows of users with a Garmin account left to_import/failed (not parked)
};

// Sends one row to Garmin and says what came of it.
using UploadFunction = std::function<garmin::UploadAnswer(const garmin::OutboxJob&)>;

// Uploads every pending row once, oldest first per account; an account stops at its first failure
// (its later rows wait with it). Waits after failures are ignored — the user asked for
// this run — but a 429 cool-down or a pending login is respected. Prints one line per row to `out`.
// An Error when the backup cannot be opened.
Result<UploadSummary> run_upload_once(const Config& config, const UploadFunction& upload, SystemTime now,
                                      std::ostream& out);

// Writes the FIT file each pending row would be uploaded as to `directory`/<account>/<T>.fit and
// changes nothing else (no upload, no status change). An Error when the backup cannot be opened or
// a file cannot be written.
Result<UploadSummary> write_dry_run(const Config& config, const std::filesystem::path& directory,
                                    std::ostream& out);

}  // namespace ble2garmin::app
