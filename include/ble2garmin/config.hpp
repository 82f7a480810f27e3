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
    // The Category column of omron_backup.csv: "eu" (ESC/ESH 2018) or "us" (ACC/AHA 2017), as
    // export2garmin's omron_export_category.
    std::string blood_pressure_category = "eu";
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

// [garmin]: Garmin Connect login and uploads (docs/garmin.md). The per-user account is
// User::garmin_email. The base URLs follow `domain` unless set; tests point them at a mock.
struct GarminConfig {
    bool enabled = false;
    // One folder per account (the e-mail address) below this; relative paths are resolved against
    // general.state_directory.
    std::filesystem::path token_dir = "garmin";
    std::string domain = "garmin.com";  // or "garmin.cn"
    std::string sso_base_url = "https://sso.garmin.com";
    std::string api_base_url = "https://connectapi.garmin.com";
    std::string diauth_base_url = "https://diauth.garmin.com";
    // Extra CA certificates (PEM) trusted besides the system store; empty = system store only.
    std::filesystem::path ca_file;
    // User-Agent of the SSO login requests (the API calls send the Connect app's own headers).
    std::string user_agent =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E148";
    // DI OAuth2 client ids, tried in this order when a ticket is exchanged.
    std::vector<std::string> client_ids = {
        "GARMIN_CONNECT_MOBILE_ANDROID_DI_2025Q2", "GARMIN_CONNECT_MOBILE_ANDROID_DI_2024Q4",
        "GARMIN_CONNECT_MOBILE_ANDROID_DI", "GARMIN_CONNECT_MOBILE_IOS_DI"};
    // After an accepted upload, read the day back from Garmin and warn when the reading is missing.
    bool verify_uploads = true;
    bool dry_run = false;  // write FIT/JSON files to dry_run_directory instead of uploading
    std::filesystem::path dry_run_directory = "garmin-dry-run";  // relative: below state_directory
    int timeout_seconds = 60;                                    // whole request; connect is 10 s at most
    // Legacy garth OAuth1 consumer: empty key/secret = fetched from oauth_consumer_url when needed.
    std::string oauth_consumer_key;
    std::string oauth_consumer_secret;
    std::string oauth_consumer_url = "https://thegarth.s3.amazonaws.com/oauth_consumer.json";
};

// [rowing]: the watch folder for rowing sessions exported as TCX (docs/rowing.md). Each new TCX file
// there is converted to a FIT activity (written beside it) and uploaded to `user`'s Garmin account.
struct RowingConfig {
    std::filesystem::path watch_dir;  // absolute; empty: no watch folder
    std::string user;                 // the [[users]] name whose garmin_email gets the sessions
    double split_m = 500;             // lap length in metres
};

// [mqtt]: the broker connection, what is published and what is taken in (docs/mqtt.md).
enum class MqttRole {
    standalone,  // publishes this daemon's measurements (and takes in the ESP32 feed when asked)
    gateway,     // relays the advertisements of the configured devices; records nothing itself
    hub,         // standalone + takes in the gateways' advertisements as if heard locally
};

struct MqttConfig {
    bool enabled = false;
    std::string host = "localhost";
    int port = 1883;                      // 8883 is usual with TLS
    std::string protocol = "5";           // "3.1.1" or "5"
    std::string client_id;                // empty: "ble2garmin-<host name>"
    std::string username;                 // empty: no login
    std::filesystem::path password_file;  // 0600 file with the password (first line); relative: state dir
    std::string password_credential;      // systemd credential name ($CREDENTIALS_DIRECTORY/<name>)
    bool tls = false;                     // also on when any of the three files below is set
    std::filesystem::path ca_file;        // empty with TLS: the system's CA store
    std::filesystem::path cert_file;      // client certificate (PEM), with key_file
    std::filesystem::path key_file;
    int keepalive_seconds = 60;
    int reconnect_min_seconds = 1;         // back-off after a lost or refused connection,
    int reconnect_max_seconds = 300;       // doubling up to this
    std::string topic_prefix = "miscale";  // lolouk44/xiaomi_mi_scale's default, so its flows keep working
    bool retain = true;
    bool flat_topics = false;  // also <prefix>/<user>/<metric>, one plain number each (Domoticz, Node-RED)
    bool discovery = true;     // Home Assistant MQTT discovery
    std::string discovery_prefix = "homeassistant";
    MqttRole role = MqttRole::standalone;
    std::string gateway_name;  // gateway: its name in relayed messages; empty: host name
    std::string gateway_topic = "ble2garmin/gateway";  // gateway publishes, hub subscribes <topic>/<name>
    bool esp32 = false;                                // take in export2garmin's ESP32 feed
    std::string esp32_topic = "data";
    std::string esp32_scale_mac;  // the scale the ESP32 listens to; empty: the one configured mi_scale
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
    GarminConfig garmin;
    RowingConfig rowing;
    MqttConfig mqtt;
    std::vector<User> users;
    std::vector<DeviceConfig> devices;

    std::filesystem::path miscale_csv_path() const { return resolve(storage.miscale_csv); }
    std::filesystem::path omron_csv_path() const { return resolve(storage.omron_csv); }
    std::filesystem::path garmin_token_dir() const { return resolve(garmin.token_dir); }
    std::filesystem::path garmin_dry_run_directory() const { return resolve(garmin.dry_run_directory); }
    std::filesystem::path resolve(const std::filesystem::path& path) const
    {
        return path.is_absolute() ? path : general.state_directory / path;
    }
};

}  // namespace ble2garmin
