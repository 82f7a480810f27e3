#pragma once
// GattLink over BlueZ (shared/spec/bluez.md §8): one device, its own system-bus connection (a
// session runs on its own thread and never touches the daemon's connection), every call bounded
// by its step timeout and by the session's overall deadline, and a stop flag the daemon raises at
// SIGTERM. Notifications are PropertiesChanged(GattCharacteristic1, {Value}) signals on the
// characteristic's path, caught with one match rule under the device's path.

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

#include "ble2garmin/gatt_link.hpp"

namespace ble2garmin::bluez {

struct GattLinkOptions {
    std::string address;  // "AA:BB:CC:DD:EE:FF"
    std::string adapter;  // "hci0", preferred when the device is known to several; empty = any
    std::chrono::steady_clock::time_point deadline;  // of the whole session
    std::chrono::milliseconds connect_timeout{15000};
    const std::atomic<bool>* stop = nullptr;  // raised: every call fails at once
};

class BluezGattLink final : public GattLink {
public:
    // Connects and waits for ServicesResolved; an Error naming the step (no such device, connect
    // failed or timed out, services not resolved).
    static Result<std::unique_ptr<BluezGattLink>> open(const GattLinkOptions& options);
    ~BluezGattLink() override;
    BluezGattLink(const BluezGattLink&) = delete;
    BluezGattLink& operator=(const BluezGattLink&) = delete;

    Result<bool> paired() override;
    Result<void> pair() override;
    bool has_service(std::string_view uuid) const override;
    bool has_characteristic(std::string_view uuid) const override;
    Result<void> start_notify(std::string_view uuid) override;
    Result<void> stop_notify(std::string_view uuid) override;
    Result<void> write(std::string_view uuid, const Bytes& value, GattWrite type) override;
    Result<Bytes> read(std::string_view uuid) override;
    Result<GattNotification> next_notification(std::chrono::milliseconds timeout) override;
    void discard_notifications() override { m_queue.clear(); }
    bool usable() const override;

    // Device1.Disconnect, best effort (also done by the destructor).
    void disconnect();
    const std::string& device_path() const { return m_device_path; }

private:
    BluezGattLink(const GattLinkOptions& options, std::unique_ptr<sdbus::IConnection> connection);

    Result<void> find_device();
    Result<void> connect();
    Result<void> find_gatt_objects();
    // Dispatches what arrived and waits at most `timeout` (and the deadline) for more.
    Result<void> pump(std::chrono::milliseconds timeout);
    // The time left for a step of at most `step`; an Error when the deadline passed or stop is raised.
    Result<std::chrono::milliseconds> budget(std::chrono::milliseconds step, const char* what) const;
    Result<sdbus::MethodReply> call(const std::string& path, const char* interface, const char* method,
                                    std::chrono::milliseconds step,
                                    const std::function<void(sdbus::MethodCall&)>& arguments = {});
    Result<std::string> characteristic_path(std::string_view uuid) const;
    void on_properties_changed(sdbus::Message& message);

    GattLinkOptions m_options;
    std::unique_ptr<sdbus::IConnection> m_connection;
    sdbus::Slot m_match;
    std::string m_device_path;
    std::map<std::string, std::string> m_characteristics;  // uuid → path (first found)
    std::map<std::string, std::string> m_uuid_of_path;
    std::map<std::string, std::string> m_services;  // uuid → path
    std::deque<GattNotification> m_queue;
    bool m_connected = false;
    bool m_services_resolved = false;
    bool m_we_connected = false;
};

}  // namespace ble2garmin::bluez
