#pragma once
// The daemon's side of `ble2garmin status`: keeps a DaemonStatus (app/daemon_status.hpp) up to date
// from what the daemon already sees — scanner state, advertisements, recorded measurements, the
// sinks' words and the store's waiting rows — and writes status.json when it changes:
//
//   at once        the scanner state, a recorded measurement, the waiting rows or a sink's words
//   within 60 s    an advertisement's RSSI and time alone (a scale advertises for minutes: one
//                  write a minute at most, none at all while nothing is on the air)
//
// No fsync: the file is a snapshot, not data. After a power cut it may be older than the truth, and
// the next change rewrites it; the rename still means a reader sees a whole file. This keeps the SD
// card of a Pi from being written every second while a scale advertises.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/config.hpp"
#include "ble2garmin/measurement.hpp"

#include "app/daemon_status.hpp"
#include "store/measurement_store.hpp"

namespace ble2garmin::app {

class StatusFile {
public:
    // Reads the users' latest measurements from the backups (a failure is logged: the file then shows
    // what this run records).
    StatusFile(const Config& config, SystemTime started_at);

    // SIGHUP: the devices and users of the new configuration (their history read again).
    void reload(const Config& config);
    void on_scanner(const std::string& state, const std::string& adapter);
    void on_advertisement(const Advertisement& advertisement);
    void on_recorded(const Measurement& measurement);
    // A device session (a cuff's download) started / ended: written at the next turn.
    void on_session_started(const std::string& address);
    void on_session_ended(const std::string& address, SystemTime now, const std::string& error,
                          std::size_t new_records);
    // Once per loop turn: the sinks' words and the store's waiting rows; writes the file when due.
    void on_turn(SystemTime now, const store::MeasurementStore& store, std::vector<std::string> sinks);
    // When on_turn must run although nothing else happens (advertisement-only changes to write).
    std::optional<SystemTime> next_deadline() const;
    // At stop: the scanner state "stopped", written at once.
    void stopped(SystemTime now);

    const DaemonStatus& status() const { return m_status; }

private:
    void write(SystemTime now);
    std::vector<AccountQueue> queues(const store::MeasurementStore& store) const;

    Config m_config;
    DaemonStatus m_status;
    bool m_changed = true;        // written at the next turn
    bool m_seen_changed = false;  // written within k_seen_interval
    std::optional<SystemTime> m_written_at;
    std::string m_last_error;
};

}  // namespace ble2garmin::app
