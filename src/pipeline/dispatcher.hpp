#pragma once
// Routes advertisements of configured devices to their module instance. An advertisement from any
// other address costs one hash lookup and nothing else (a busy street of phones and headphones
// must not cost a Pi Zero anything).

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "ble2garmin/config.hpp"
#include "ble2garmin/device_module.hpp"

namespace ble2garmin::pipeline {

class Dispatcher {
public:
    // One module instance per configured device; an Error (with the config position) when a
    // module rejects its table or is unknown.
    static Result<Dispatcher> create(const std::vector<DeviceConfig>& devices,
                                     std::span<const DeviceModuleDescriptor* const> modules);

    // The reading in this advertisement, if it completes one. Decode errors are logged once per
    // distinct message and device, so a neighbour's malformed frames cannot flood the journal.
    std::optional<Reading> on_advertisement(const Advertisement& advertisement);

    // Readings the modules completed by time alone (see DeviceModule::collect); with `everything`,
    // every unfinished weighing as it stands.
    std::vector<Reading> collect(SystemTime now, bool everything);
    // The earliest time collect() will have something; nullopt while no module waits.
    std::optional<SystemTime> next_deadline() const;

    // The session the module of this advertisement's device wants (device_session.hpp), or null.
    std::unique_ptr<DeviceSession> session_for(const Advertisement& advertisement);
    // The module name of a configured device; empty when the address is not configured.
    std::string module_of(const std::string& address) const;
    // True when some configured device is connected to (its module's descriptor says `connects`).
    bool has_connecting_devices() const;

    bool is_configured(const std::string& address) const { return m_devices.contains(address); }
    std::size_t device_count() const { return m_devices.size(); }

private:
    struct Device {
        std::string module;
        std::unique_ptr<DeviceModule> instance;
        std::string last_error;
        bool connects = false;
    };
    std::unordered_map<std::string, Device> m_devices;
};

}  // namespace ble2garmin::pipeline
