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

Result<SystemBus::PollData> SystemBus::poll_data() const
{
    try {
        const auto data = m_connection->getEventLoopPollData();
        return PollData{data.fd, data.events, data.getPollTimeout()};
    } catch (const sdbus::Error& error) {
        return make_error("system D-Bus connection lost: " + error.getMessage());
    }
}

Result<void> SystemBus::process()
{
    for (int skipped = 0; skipped < 1000; ++skipped) {
        try {
            while (m_connection->processPendingRequest()) {
            }
            return {};
        } catch (const sdbus::Error& error) {
            if (!poll_data()) {
                return make_error("system D-Bus connection lost: " + error.getMessage());
            }
            // A handler's unexpected D-Bus error must not end the daemon; the next message is fine.
            logging::get("bluez")->error("D-Bus message not processed: {} {}", error.getName(),
                                         error.getMessage());
        }
    }
    return {};
}

}  // namespace ble2garmin::bluez
