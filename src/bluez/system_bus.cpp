#include "bluez/system_bus.hpp"

#include <sdbus-c++/Error.h>

#include "log/logging.hpp"

namespace ble2garmin::bluez {

Result<std::unique_ptr<SystemBus>> SystemBus::connect()
{
    try {
        return std::unique_ptr<SystemBus>(new SystemBus(sdbus::createSystemBusConnection()));
    } catch (const sdbus::Error& error) {
        return make_error("cannot connect to the system D-Bus: " + error.getMessage());
    }
}

int SystemBus::fd() const { return m_connection->getEventLoopPollData().fd; }

short SystemBus::events() const { return m_connection->getEventLoopPollData().events; }

int SystemBus::timeout_ms() const { return m_connection->getEventLoopPollData().getPollTimeout(); }

void SystemBus::process()
{
    try {
        while (m_connection->processPendingRequest()) {
        }
    } catch (const sdbus::Error& error) {
        // A handler's unexpected D-Bus error must not end the daemon; the next message is fine.
        logging::get("bluez")->error("D-Bus message not processed: {} {}", error.getName(), error.getMessage());
    }
}

}  // namespace ble2garmin::bluez
