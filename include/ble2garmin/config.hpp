#pragma once
// The whole configuration, parsed once from TOML into plain structs (src/config/loader.cpp).
// Every key is documented in config/ble2garmin.toml.example and docs/configuration.md.

#include <filesystem>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "ble2garmin/user.hpp"

namespace ble2garmin {

struct GeneralConfig {
    // Where the CSV backups and the duplicate memory live (systemd StateDirectory).
    std::filesystem::path state_directory = "/var/lib/ble2garmin";
    // IANA time zone for the local dates in the CSV; empty = the system's zone.
    std::string timezone;
    std::string log_level = "info";  // trace, debug, info, warn, error
};

struct StorageConfig {
    // Relative paths are resolved against general.state_directory.
    std::filesystem::path miscale_csv = "miscale_backup.csv";
    std::filesystem::path omron_csv = "omron_backup.csv";
};

enum class ScaleClockPolicy {
    automatic,  // the scale's clock when within scale_clock_tolerance of receive time, else receive time
    scale,      // always the scale's clock (plus scale_clock_offset)
    receive,    // always the time the advertisement was received
};

struct PipelineConfig {
    // The same weighing seen again within this many seconds is a duplicate (persists across restarts).
    int duplicate_window_seconds = 1800;
    ScaleClockPolicy scale_clock = ScaleClockPolicy::automatic;
    int scale_clock_tolerance_seconds = 1200;
    int scale_clock_offset_seconds = 0;  // added to the scale's clock (export2garmin miscale_time_offset)
};

struct BluetoothConfig {
    // Adapter to scan with: "hci0", its address, or empty for the first one BlueZ offers.
    std::string adapter;
    // Restart discovery after this many seconds without any advertisement while devices are
    // configured (the known "discovery silently stops" failure); 0 turns the check off.
    int silence_restart_seconds = 600;
};

// One [devices.<module>] table (or one element of [[devices.<module>]]).
struct DeviceConfig {
    std::string module;  // descriptor name, e.g. "mi_scale"
    std::string mac;     // normalised "AA:BB:CC:DD:EE:FF"
    // The whole table (mac normalised), handed to the module's create(). Its nodes keep their
    // file:line:column while the Config is moved; toml++ drops positions when a table is copied.
    toml::table options;
};

struct Config {
    std::filesystem::path source;  // file it was read from; empty for the built-in demo config
    GeneralConfig general;
    StorageConfig storage;
    PipelineConfig pipeline;
    BluetoothConfig bluetooth;
    std::vector<User> users;
    std::vector<DeviceConfig> devices;

    std::filesystem::path miscale_csv_path() const { return resolve(storage.miscale_csv); }
    std::filesystem::path omron_csv_path() const { return resolve(storage.omron_csv); }
    std::filesystem::path resolve(const std::filesystem::path& path) const
    {
        return path.is_absolute() ? path : general.state_directory / path;
    }
};

}  // namespace ble2garmin
