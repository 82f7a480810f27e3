#pragma once
// Turns the Device1 property dictionaries BlueZ sends (GetManagedObjects, InterfacesAdded,
// PropertiesChanged — the three routes of shared/spec/bluez.md §2) into advertisement data, with
// every variant's type checked before it is read. A wrongly typed value (python-dbusmock's aa{sv},
// a buggy stack) is reported and skipped, never thrown through the event loop.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sdbus-c++/Types.h>

#include "ble2garmin/advertisement.hpp"

namespace ble2garmin::bluez {

using PropertyMap = std::map<std::string, sdbus::Variant>;

// The advertisement-relevant part of one Device1 property dictionary. Absent properties stay
// empty; `has_payload` tells whether ServiceData or ManufacturerData was present and well-typed.
struct DeviceUpdate {
    std::optional<std::string> address;  // "AA:BB:CC:DD:EE:FF"
    std::optional<std::string> name;
    std::optional<std::int16_t> rssi_dbm;
    std::optional<std::map<std::string, Bytes>> service_data;         // lower-case 128-bit UUIDs
    std::optional<std::map<std::uint16_t, Bytes>> manufacturer_data;  // by company id
    std::vector<std::string> problems;  // "ServiceData has type aa{sv}, expected a{sv}"

    bool has_payload() const { return service_data.has_value() || manufacturer_data.has_value(); }
};

DeviceUpdate parse_device_properties(const PropertyMap& properties);

// "AA:BB:CC:DD:EE:FF" from "/org/bluez/hci0/dev_AA_BB_CC_DD_EE_FF"; empty when not a device path.
std::string address_from_device_path(const std::string& path);

// "hci0" from "/org/bluez/hci0" or "/org/bluez/hci0/dev_…"; empty when not below /org/bluez/.
std::string adapter_from_path(const std::string& path);

}  // namespace ble2garmin::bluez
