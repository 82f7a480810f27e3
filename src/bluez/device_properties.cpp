#include "bluez/device_properties.hpp"

#include <sdbus-c++/Error.h>

namespace ble2garmin::bluez {
namespace {

template <class T>
std::optional<T> read_typed(const PropertyMap& properties, const char* key,
                            std::vector<std::string>& problems)
{
    const auto found = properties.find(key);
    if (found == properties.end()) {
        return std::nullopt;
    }
    if (!found->second.containsValueOfType<T>()) {
        problems.push_back(std::string(key) + " has type " + found->second.peekValueType() + ", expected " +
                           sdbus::signature_of<T>::str());
        return std::nullopt;
    }
    try {
        return found->second.get<T>();
    } catch (const sdbus::Error& error) {
        problems.push_back(std::string(key) + " unreadable: " + error.getMessage());
        return std::nullopt;
    }
}

// Inner values of ServiceData / ManufacturerData must be byte arrays; others are skipped.
template <class Key>
std::map<Key, Bytes> byte_arrays(const std::map<Key, sdbus::Variant>& entries, const char* what,
                                 std::vector<std::string>& problems)
{
    std::map<Key, Bytes> out;
    for (const auto& [key, value] : entries) {
        if (!value.template containsValueOfType<std::vector<std::uint8_t>>()) {
            problems.push_back(std::string(what) + " entry has type " + value.peekValueType() +
                               ", expected ay");
            continue;
        }
        out.emplace(key, value.template get<std::vector<std::uint8_t>>());
    }
    return out;
}

}  // namespace

DeviceUpdate parse_device_properties(const PropertyMap& properties)
{
    DeviceUpdate update;
    if (auto address = read_typed<std::string>(properties, "Address", update.problems)) {
        const std::string normalized = normalize_mac(*address);
        if (!normalized.empty()) {
            update.address = normalized;
        } else {
            update.problems.push_back("Address '" + *address + "' is not a device address");
        }
    }
    update.name = read_typed<std::string>(properties, "Name", update.problems);
    update.rssi_dbm = read_typed<std::int16_t>(properties, "RSSI", update.problems);
    if (auto service =
            read_typed<std::map<std::string, sdbus::Variant>>(properties, "ServiceData", update.problems)) {
        std::map<std::string, Bytes> normalized;
        for (auto& [uuid, bytes] : byte_arrays(*service, "ServiceData", update.problems)) {
            const std::string key = normalize_uuid(uuid);
            if (key.empty()) {
                update.problems.push_back("ServiceData key '" + uuid + "' is not a UUID");
                continue;
            }
            normalized[key] = std::move(bytes);
        }
        update.service_data = std::move(normalized);
    }
    if (auto manufacturer = read_typed<std::map<std::uint16_t, sdbus::Variant>>(
            properties, "ManufacturerData", update.problems)) {
        update.manufacturer_data = byte_arrays(*manufacturer, "ManufacturerData", update.problems);
    }
    return update;
}

std::string address_from_device_path(const std::string& path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string::npos || path.compare(slash + 1, 4, "dev_") != 0 ||
        !path.starts_with("/org/bluez/")) {
        return {};
    }
    std::string address = path.substr(slash + 5);
    for (auto& c : address) {
        c = c == '_' ? ':' : c;
    }
    return normalize_mac(address);
}

std::string adapter_from_path(const std::string& path)
{
    constexpr std::string_view k_root = "/org/bluez/";
    if (!path.starts_with(k_root)) {
        return {};
    }
    const auto rest = path.substr(k_root.size());
    return rest.substr(0, rest.find('/'));
}

}  // namespace ble2garmin::bluez
