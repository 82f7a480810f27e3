#pragma once
// One reader per top-level table of the configuration. Each records every problem it finds and
// leaves the defaults of ble2garmin/config.hpp in place for absent or invalid keys.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "ble2garmin/config.hpp"

#include "config/field_readers.hpp"

namespace ble2garmin::config {

// The widest accepted pipeline window or clock offset: a leap year, in seconds. Wider values are
// typing mistakes, and the bound keeps every value inside an int.
inline constexpr std::int64_t k_max_pipeline_seconds = 366LL * 24 * 60 * 60;
// The body-composition formulas are defined for heights up to 220 cm (body/composition.cpp).
inline constexpr double k_min_height_cm = 50;
inline constexpr double k_max_height_cm = 220;
// export2garmin's placeholder for "no Garmin account" (spec §4).
using ble2garmin::k_placeholder_email;

void read_general(const toml::node& node, GeneralConfig& general, Problems& problems);
void read_storage(const toml::node& node, StorageConfig& storage, Problems& problems);
void read_pipeline(const toml::node& node, PipelineConfig& pipeline, Problems& problems);
void read_bluetooth(const toml::node& node, BluetoothConfig& bluetooth, Problems& problems);
void read_garmin(const toml::node& node, GarminConfig& garmin, Problems& problems);
void read_rowing(const toml::node& node, RowingConfig& rowing, Problems& problems);
// [rowing] user must name a [[users]] entry with a Garmin account (checked once both are read).
void check_rowing_user(const toml::node& node, const RowingConfig& rowing, const std::vector<User>& users,
                       Problems& problems);
void read_mqtt(const toml::node& node, MqttConfig& mqtt, Problems& problems);
// `device_user_keys`: the per-device user keys the device modules declare (`s400_profile_id`).
void read_users(const toml::node& node, std::span<const DeviceUserKey> device_user_keys,
                std::vector<User>& users, Problems& problems);
// Moves each valid device table out of `node` into DeviceConfig::options (a move keeps the
// file:line:column of every key for the module's own checks; a copy would not).
void read_devices(toml::node& node, std::span<const std::string_view> known_modules,
                  std::vector<DeviceConfig>& devices, Problems& problems);

// "a" , "a, b": the names joined for messages.
std::string join_names(std::span<const std::string_view> names);

}  // namespace ble2garmin::config
