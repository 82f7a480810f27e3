// [devices.<module>] / [[devices.<module>]]: which devices to listen to. The loader checks only
// what every device has (a known module and a unique address); the module checks the rest of its
// table in create(), so module-specific keys pass through untouched.

#include <algorithm>
#include <map>

#include "ble2garmin/advertisement.hpp"

#include "config/sections.hpp"
#include "config/toml_checks.hpp"

namespace ble2garmin::config {
namespace {

constexpr std::string_view k_placeholder_mac = "00:00:00:00:00:00";

class DeviceReader {
public:
    DeviceReader(std::vector<DeviceConfig>& devices, Problems& problems)
        : m_devices(devices), m_problems(problems)
    {
    }

    void read(const std::string& module, toml::table& table)
    {
        TableReader reader(table, "devices." + module, m_problems);
        if (!reader.require({"mac"})) {
            return;
        }
        auto text = reader.string("mac");
        if (!text) {
            return;
        }
        const std::string mac = normalize_mac(*text);
        if (mac.empty()) {
            reader.problem(
                "mac", "must be a Bluetooth address such as \"AA:BB:CC:DD:EE:FF\" (found \"" + *text + "\")");
            return;
        }
        if (mac == k_placeholder_mac) {
            reader.problem("mac",
                           "is a placeholder: set the device's own address (see `bluetoothctl devices`)");
            return;
        }
        const std::string position = source_position(*reader.node("mac"));
        if (auto [it, inserted] = m_seen_macs.emplace(mac, position); !inserted) {
            reader.problem("mac", "\"" + mac + "\" is already used by the device at " + it->second);
            return;
        }
        // Modules get the normalised address; assigning in place keeps the value's position.
        table.get("mac")->as_string()->get() = mac;
        m_devices.push_back(DeviceConfig{module, mac, std::move(table)});
    }

private:
    std::vector<DeviceConfig>& m_devices;
    Problems& m_problems;
    std::map<std::string, std::string> m_seen_macs;  // normalised address → position of first use
};

}  // namespace

void read_devices(toml::node& node, std::span<const std::string_view> known_modules,
                  std::vector<DeviceConfig>& devices, Problems& problems)
{
    auto* modules = node.as_table();
    if (modules == nullptr) {
        problems.add(node, "'devices' must be a table of [devices.<module>] tables (found " +
                               std::string(type_name(node)) + ")");
        return;
    }
    DeviceReader reader(devices, problems);
    for (auto& [key, value] : *modules) {
        const std::string module(key.str());
        if (std::find(known_modules.begin(), known_modules.end(), module) == known_modules.end()) {
            problems.add(key.source(), "unknown device module '" + module +
                                           "' in [devices] (known modules: " + join_names(known_modules) +
                                           ")");
            continue;
        }
        if (auto* table = value.as_table()) {
            reader.read(module, *table);
            continue;
        }
        auto* entries = value.as_array();
        if (entries == nullptr) {
            problems.add(value, "'devices." + module + "' must be a table or an array of tables (found " +
                                    std::string(type_name(value)) + ")");
            continue;
        }
        for (auto& entry : *entries) {
            if (auto* table = entry.as_table()) {
                reader.read(module, *table);
            } else {
                problems.add(entry, "each entry of 'devices." + module + "' must be a table (found " +
                                        std::string(type_name(entry)) + ")");
            }
        }
    }
}

}  // namespace ble2garmin::config
