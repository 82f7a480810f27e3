#pragma once
// The daemon's connection to the system bus, driven by the daemon's own poll loop (one thread:
// no sdbus-c++ event-loop thread). DBUS_SYSTEM_BUS_ADDRESS redirects it, which is how the
// integration tests put a private bus with a simulated bluetoothd under the real daemon.

#include <memory>

#include <sdbus-c++/IConnection.h>

#include "ble2garmin/result.hpp"

namespace ble2garmin::bluez {

class SystemBus {
public:
    // An Error when the system bus cannot be reached (no dbus-daemon, permissions).
    static Result<std::unique_ptr<SystemBus>> connect();

    // What to poll(2) for: the bus fd, its events and the timeout in ms (-1 = none); an Error
    // when the connection is gone (dbus-daemon stopped).
    struct PollData {
        int fd = -1;
        short events = 0;
        int timeout_ms = -1;
    };
    Result<PollData> poll_data() const;

    // Dispatches every message that is ready (signals to the Scanner's handlers). An Error when
    // the connection is lost; a handler's failure on one message is logged and skipped.
    Result<void> process();

    sdbus::IConnection& connection() { return *m_connection; }

private:
    explicit SystemBus(std::unique_ptr<sdbus::IConnection> connection) : m_connection(std::move(connection))
    {
    }

    std::unique_ptr<sdbus::IConnection> m_connection;
};

}  // namespace ble2garmin::bluez
