#pragma once
// What the radio saw: nothing device-specific. Produced by bluez::Scanner, MQTT ingest and
// `ble2garmin replay`; consumed by DeviceModule::decode.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ble2garmin/bytes.hpp"
#include "ble2garmin/system_time.hpp"

namespace ble2garmin {

struct Advertisement {
    std::string address;  // "AA:BB:CC:DD:EE:FF", upper-case as BlueZ writes it
    std::string name;     // may be empty
    std::optional<std::int16_t> rssi_dbm;
    // Service data by lower-case 128-bit UUID string, value without the UUID bytes (as BlueZ
    // ServiceData a{sv}).
    std::map<std::string, Bytes> service_data;
    // Manufacturer data by company id, value without the company id (as BlueZ a{qv}).
    std::map<std::uint16_t, Bytes> manufacturer_data;
    SystemTime received_at;
    std::string source;  // "hci0", "replay", "mqtt:kitchen"
};

// "0000181b-0000-1000-8000-00805f9b34fb" for 0x181B: the Bluetooth base UUID with a 16-bit alias.
std::string uuid_from_16bit(std::uint16_t alias);

// Accepts "181b", "0x181B" or a full 128-bit UUID; returns the lower-case 128-bit form, or an empty
// string when the text is not a UUID.
std::string normalize_uuid(std::string_view text);

// Normalises "aa:bb:cc:dd:ee:ff" / "AA-BB-..." to "AA:BB:CC:DD:EE:FF"; empty string when invalid.
std::string normalize_mac(std::string_view text);

}  // namespace ble2garmin
