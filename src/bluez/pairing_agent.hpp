#pragma once
// The daemon's BlueZ pairing agent (shared/spec/bluez.md §9): org.bluez.Agent1 at
// /org/ble2garmin/agent, capability NoInputNoOutput (just-works), registered as the default agent
// because an Omron cuff asks for bonding itself (an SMP security request when notifications are
// switched on), and such requests go to the default agent. It confirms only devices the daemon
// connects to (the `accept` predicate, by address); PIN codes and passkeys are refused.
// Registered at start and again whenever bluetoothd (re)appears on the bus (NameOwnerChanged).
// Lives on the connection whose loop answers its calls.

#include <functional>
#include <memory>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

namespace ble2garmin::bluez {

class PairingAgent {
public:
    using Accept = std::function<bool(const std::string& address)>;

    PairingAgent(sdbus::IConnection& connection, Accept accept);
    ~PairingAgent();
    PairingAgent(const PairingAgent&) = delete;
    PairingAgent& operator=(const PairingAgent&) = delete;

    // Exports the object, registers with bluetoothd when it is there and follows its restarts.
    void start();
    bool registered() const { return m_registered; }

private:
    void register_with_bluez();
    void check(const sdbus::ObjectPath& device, const char* what) const;

    sdbus::IConnection& m_connection;
    Accept m_accept;
    std::unique_ptr<sdbus::IObject> m_object;
    sdbus::Slot m_name_slot;
    bool m_registered = false;
};

}  // namespace ble2garmin::bluez
