#include "app/systemd_notifier.hpp"

#include <systemd/sd-daemon.h>

namespace ble2garmin::app {

SystemdNotifier::SystemdNotifier()
{
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        m_watchdog_interval = std::chrono::milliseconds(usec / 2000);
    }
}

void SystemdNotifier::ready(const std::string& status)
{
    m_last_status = status;
    sd_notify(0, ("READY=1\nSTATUS=" + status).c_str());
}

void SystemdNotifier::status(const std::string& status)
{
    if (status == m_last_status) {
        return;
    }
    m_last_status = status;
    sd_notify(0, ("STATUS=" + status).c_str());
}

void SystemdNotifier::reloading()
{
    sd_notify(0, "RELOADING=1\nSTATUS=reloading configuration");
}

void SystemdNotifier::stopping()
{
    sd_notify(0, "STOPPING=1\nSTATUS=stopping");
}

void SystemdNotifier::watchdog()
{
    sd_notify(0, "WATCHDOG=1");
}

}  // namespace ble2garmin::app
