#pragma once
// status.json in the state directory: what the running daemon tells `ble2garmin status`. The daemon
// rewrites it atomically (fs/atomic_file.hpp, mode 0600) when something a user would ask about
// changes (app/status_file.hpp); `status` only reads it. Times are Unix seconds, absent values null:
//
//   {"format": 1, "pid": 812, "started_at": 1764746400, "updated_at": 1764750000,
//    "scanner": {"state": "scanning", "adapter": "hci0"},
//    "devices": [{"module": "mi_scale", "address": "C8:47:8C:A1:B2:C3", "last_seen": 1764749990,
//                 "rssi_dbm": -67, "last_reading": 1764746700},
//                {"module": "omron", …, "session": {"running": false, "ended_at": 1764746800,
//                 "error": null, "new_records": 2}}],       ("session" only for connected devices)
//    "users": [{"name": "adam", "scale_at": 1764746700, "weight_kg": 55.2,
//               "blood_pressure_at": null, "systolic": 0, "diastolic": 0, "pulse": 0}],
//    "accounts": [{"account": "adam@example.com", "pending": 2, "parked": 1}],
//    "sinks": ["2 uploads pending"], "recorded": 3}

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/result.hpp"

namespace ble2garmin::app {

inline constexpr const char* k_status_file = "status.json";

// A device that is connected to (a cuff, app/device_sessions.hpp): the download now and the last one.
struct SessionStatus {
    bool running = false;
    std::optional<std::int64_t> ended_at;  // the last session's end
    std::string error;                     // why it failed; empty when it succeeded
    std::size_t new_records = 0;           // what it stored
};

struct DeviceStatus {
    std::string module;
    std::string address;
    std::optional<std::int64_t> last_seen;  // any advertisement of the device
    std::optional<int> rssi_dbm;            // of that advertisement
    std::optional<std::int64_t> last_reading;
    std::optional<SessionStatus> session;  // set once a session started
};

// A user's latest stored measurement of each kind.
struct UserLastMeasurement {
    std::string name;
    std::optional<std::int64_t> scale_at;
    double weight_kg = 0;
    std::optional<std::int64_t> blood_pressure_at;
    int systolic = 0;
    int diastolic = 0;
    int pulse = 0;
};

// The rows that wait for one Garmin account.
struct AccountQueue {
    std::string account;
    std::size_t pending = 0;  // to_import or failed, parked ones included
    std::size_t parked = 0;   // refused by Garmin: not retried on their own
};

struct DaemonStatus {
    long pid = 0;
    std::int64_t started_at = 0;
    std::int64_t updated_at = 0;
    std::string scanner_state;  // bluez::scanner_state_text, or "stopped"
    std::string adapter;
    std::vector<DeviceStatus> devices;
    std::vector<UserLastMeasurement> users;
    std::vector<AccountQueue> accounts;
    std::vector<std::string> sinks;  // each sink's few words (Sink::status)
    std::uint64_t recorded = 0;      // measurements recorded since the start
};

// The file's text (one JSON object and a newline).
std::string format_daemon_status(const DaemonStatus& status);
// The status of a file's text; an Error saying what is wrong (not JSON, a field of the wrong type).
Result<DaemonStatus> parse_daemon_status(std::string_view text);

}  // namespace ble2garmin::app
