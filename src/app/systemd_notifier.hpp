#pragma once
// sd_notify(3) for Type=notify: READY, STATUS, WATCHDOG, RELOADING, STOPPING. Without
// NOTIFY_SOCKET (started by hand) every call is a cheap no-op.

#include <chrono>
#include <optional>
#include <string>

namespace ble2garmin::app {

class SystemdNotifier {
public:
    SystemdNotifier();

    void ready(const std::string& status);
    void status(const std::string& status);
    void reloading();
    void stopping();
    void watchdog();

    // How often to ping: half of WatchdogSec, or nullopt when the watchdog is off.
    std::optional<std::chrono::milliseconds> watchdog_interval() const { return m_watchdog_interval; }

private:
    std::optional<std::chrono::milliseconds> m_watchdog_interval;
    std::string m_last_status;
};

}  // namespace ble2garmin::app
