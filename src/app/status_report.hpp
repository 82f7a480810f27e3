#pragma once
// `ble2garmin status`: one screen on whether everything works. Gathered read-only — never taking
// the state lock, never writing a file — so it runs beside the daemon, as root or as the service user:
//
//   daemon running   who holds the lock (store/lock_holder.hpp) and the daemon's status.json
//                    (app/daemon_status.hpp): scanner, devices, users, waiting rows
//   not running      the backups read in one streaming pass (app/history_digest.hpp) and the last
//                    status.json for the devices, said to be from the last run
//   both             garmin_outbox.json (parked rows) and each account's token kind and expiries

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "ble2garmin/config.hpp"
#include "ble2garmin/system_time.hpp"

#include "app/daemon_status.hpp"
#include "garmin/auth/token_summary.hpp"
#include "store/lock_holder.hpp"

namespace ble2garmin::app {

struct StatusReport {
    std::filesystem::path state_directory;
    // Why the state directory cannot be read (a user other than root and the service user): then
    // nothing else is known.
    std::string access_problem;
    bool daemon_running = false;
    std::optional<store::LockHolder> holder;  // whoever holds the state directory (the daemon or a pass)
    // status.json as last written; for a stopped daemon the one of its last run (may be absent).
    std::optional<DaemonStatus> daemon;
    std::string status_file_problem;  // why status.json could not be read, when it exists
    std::vector<DeviceStatus> devices;
    std::vector<UserLastMeasurement> users;
    std::vector<AccountQueue> accounts;
    std::string history_problem;  // why the backups could not be read (daemon not running)
    bool garmin_enabled = false;
    std::vector<garmin::TokenSummary> tokens;
};

StatusReport gather_status(const Config& config);

// The screen, times in the process time zone relative to `now`.
void write_status_text(const StatusReport& report, SystemTime now, std::ostream& out);
// The same as one JSON object (times as ISO 8601 UTC strings or null), for scripts.
std::string format_status_json(const StatusReport& report);

}  // namespace ble2garmin::app
