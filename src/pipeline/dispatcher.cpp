#include "pipeline/dispatcher.hpp"

#include "log/logging.hpp"

namespace ble2garmin::pipeline {

Result<Dispatcher> Dispatcher::create(const std::vector<DeviceConfig>& devices,
                                      std::span<const DeviceModuleDescriptor* const> modules)
{
    Dispatcher dispatcher;
    for (const auto& device : devices) {
        const DeviceModuleDescriptor* descriptor = nullptr;
        for (const auto* candidate : modules) {
            descriptor = candidate->name == device.module ? candidate : descriptor;
        }
        if (descriptor == nullptr) {
            return make_error("no device module named '" + device.module + "'");
        }
        auto instance = descriptor->create(device.options);
        if (!instance) {
            return instance.error();
        }
        dispatcher.m_devices[device.mac] =
            Device{device.module, std::move(*instance), {}, descriptor->connects};
    }
    return dispatcher;
}

std::optional<Reading> Dispatcher::on_advertisement(const Advertisement& advertisement)
{
    const auto found = m_devices.find(advertisement.address);
    if (found == m_devices.end()) {
        return std::nullopt;
    }
    Device& device = found->second;
    auto outcome = device.instance->decode(advertisement);
    if (auto* reading = std::get_if<Reading>(&outcome)) {
        device.last_error.clear();
        return std::move(*reading);
    }
    if (const auto* error = std::get_if<DecodeError>(&outcome)) {
        if (error->reason != device.last_error) {
            logging::get("dispatch")
                ->warn("advertisement not decoded: {} module={} device={} source={}", error->reason,
                       device.module, advertisement.address, advertisement.source);
            device.last_error = error->reason;
        }
        return std::nullopt;
    }
    if (const auto* pending = std::get_if<NotFinal>(&outcome)) {
        logging::get("dispatch")->debug("frame not final: {} device={}", pending->why, advertisement.address);
    }
    return std::nullopt;
}

std::unique_ptr<DeviceSession> Dispatcher::session_for(const Advertisement& advertisement)
{
    const auto found = m_devices.find(advertisement.address);
    if (found == m_devices.end() || !found->second.connects) {
        return nullptr;
    }
    return found->second.instance->session_for(advertisement);
}

std::string Dispatcher::module_of(const std::string& address) const
{
    const auto found = m_devices.find(address);
    return found == m_devices.end() ? std::string() : found->second.module;
}

bool Dispatcher::has_connecting_devices() const
{
    for (const auto& [address, device] : m_devices) {
        if (device.connects) {
            return true;
        }
    }
    return false;
}

std::vector<Reading> Dispatcher::collect(SystemTime now, bool everything)
{
    std::vector<Reading> readings;
    for (auto& [address, device] : m_devices) {
        for (auto& reading : device.instance->collect(now, everything)) {
            readings.push_back(std::move(reading));
        }
    }
    return readings;
}

std::optional<SystemTime> Dispatcher::next_deadline() const
{
    std::optional<SystemTime> earliest;
    for (const auto& [address, device] : m_devices) {
        const auto deadline = device.instance->next_deadline();
        if (deadline && (!earliest || *deadline < *earliest)) {
            earliest = deadline;
        }
    }
    return earliest;
}

}  // namespace ble2garmin::pipeline
