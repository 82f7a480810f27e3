#pragma once
// The few facts `status` needs from the whole history, read from the backups in one streaming pass
// (store/history/history_rows.hpp): each user's latest measurement and the rows that wait for each
// Garmin account. Read-only, so it is safe beside a running daemon and as root.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ble2garmin/config.hpp"
#include "ble2garmin/result.hpp"

#include "app/daemon_status.hpp"

namespace ble2garmin::app {

struct HistoryDigest {
    std::vector<UserLastMeasurement> users;  // one per configured user, in config order
    std::vector<AccountQueue> accounts;      // accounts with waiting rows, by address
};

// The digest of `config`'s backups; `parked` (row time → why, garmin_outbox.json) says which waiting
// rows are parked. An Error when a backup or the journal is a symbolic link or cannot be read.
Result<HistoryDigest> digest_history(const Config& config, const std::map<std::int64_t, std::string>& parked);

// Only the users' latest measurements (the daemon, at start and reload).
Result<std::vector<UserLastMeasurement>> latest_measurements(const Config& config);

}  // namespace ble2garmin::app
