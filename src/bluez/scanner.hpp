#pragma once
// Listens to BlueZ on the system bus and turns every advertisement of one adapter into an
// Advertisement. All sdbus-c++ use of the daemon lives in src/bluez.
//
// Start-up and every bluetoothd restart run the same path (shared/spec/bluez.md §2, §6):
// subscribe (NameOwnerChanged for org.bluez, InterfacesAdded/Removed on /, PropertiesChanged
// below /org/bluez — one match rule each, not one proxy per device), catch up with
// GetManagedObjects, pick the adapter, SetDiscoveryFilter {Transport: le, DuplicateData: true}
// (no UUID filter: service-data-only advertisers would not match it) and StartDiscovery.
// Discovery is restarted when Discovering drops to false, when the adapter is powered on again,
// when it comes back after a replug, and when nothing at all was heard for `silence_restart`
// (the known "discovery silently stops" failure).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <sdbus-c++/sdbus-c++.h>

#include "ble2garmin/advertisement.hpp"

#include "bluez/device_properties.hpp"

namespace ble2garmin::bluez {

using SteadyTime = std::chrono::steady_clock::time_point;

struct ScannerOptions {
    std::string adapter;  // "hci0", an adapter address, or empty for the first adapter
    // Restart discovery after this long without any advertisement; zero turns the check off.
    std::chrono::seconds silence_restart{600};
};

enum class ScannerState {
    waiting_for_bluez,  // org.bluez is not on the bus
    no_adapter,         // bluetoothd runs but the configured adapter is absent
    adapter_off,        // the adapter is powered off (or rfkill-blocked)
    discovery_failed,   // StartDiscovery failed; retried with back-off
    scanning,
};

const char* scanner_state_text(ScannerState state);

class Scanner {
public:
    using AdvertisementHandler = std::function<void(const Advertisement&)>;
    using StateHandler = std::function<void(ScannerState, const std::string& adapter)>;

    Scanner(sdbus::IConnection& connection, ScannerOptions options, AdvertisementHandler on_advertisement,
            StateHandler on_state);
    ~Scanner();
    Scanner(const Scanner&) = delete;
    Scanner& operator=(const Scanner&) = delete;

    // Subscribes and catches up. Never throws for BlueZ problems: they become states and logs.
    void start();

    // Stops discovery (best effort) before the daemon exits.
    void stop();

    // Runs what is due: a discovery retry or restart, the adapter check, the silence check; call
    // when next_deadline() has passed.
    void on_timer(SteadyTime now);

    // When on_timer() wants to run next; nullopt when nothing is pending.
    std::optional<SteadyTime> next_deadline() const;

    ScannerState state() const { return m_state; }
    const std::string& adapter_name() const { return m_adapter_name; }
    std::uint64_t advertisements_seen() const { return m_advertisements_seen; }

private:
    struct DeviceCache {
        std::string address;
        std::string name;
        std::optional<std::int16_t> rssi_dbm;
    };

    void catch_up();
    void forget_bluez();
    void on_name_owner_changed(sdbus::Message& message);
    void on_interfaces_added(sdbus::Message& message);
    void on_interfaces_removed(sdbus::Message& message);
    void on_properties_changed(sdbus::Message& message);
    void on_adapter_properties(const std::string& path, const PropertyMap& properties);
    void on_device_properties(const std::string& path, const PropertyMap& properties);
    bool adapter_matches(const std::string& path, const PropertyMap& properties) const;
    void use_adapter(const std::string& path, const PropertyMap& properties);
    void start_discovery(const char* reason);
    void set_state(ScannerState state);

    sdbus::IConnection& m_connection;
    ScannerOptions m_options;
    AdvertisementHandler m_on_advertisement;
    StateHandler m_on_state;
    sdbus::Slot m_name_slot;
    sdbus::Slot m_added_slot;
    sdbus::Slot m_removed_slot;
    sdbus::Slot m_properties_slot;
    ScannerState m_state = ScannerState::waiting_for_bluez;
    std::string m_adapter_path;  // "/org/bluez/hci0" when chosen
    std::string m_adapter_name;
    std::unordered_map<std::string, DeviceCache> m_devices;  // by object path
    SteadyTime m_last_heard{};
    std::optional<SteadyTime> m_retry_at;  // set while discovery_failed
    // Discovering=false from outside: restart at this time unless the adapter turned out to be
    // powering off (bluetoothd stops discovery before it reports Powered=false).
    std::optional<SteadyTime> m_restart_at;
    // No adapter at a (re)start of bluetoothd: it registers its adapters a moment after taking its
    // bus name, so "no adapter" is said only when none appeared by this time.
    std::optional<SteadyTime> m_adapter_grace_until;
    std::chrono::seconds m_retry_delay{5};
    bool m_own_stop = false;  // our StopDiscovery: the Discovering=false that follows is expected
    std::uint64_t m_advertisements_seen = 0;
    std::string m_last_problem;
};

}  // namespace ble2garmin::bluez
