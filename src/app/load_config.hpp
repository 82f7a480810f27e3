#pragma once
// Loading the configuration for a subcommand: the TOML file, then every [devices.*] table checked
// by its module, so `check-config`, `replay` and `run` accept and reject exactly the same files.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/config.hpp"

namespace ble2garmin::app {

inline constexpr const char* k_default_config_path = "/etc/ble2garmin/ble2garmin.toml";

// Names of all registered device modules, for the loader's check of [devices.<name>].
std::vector<std::string_view> module_names();
// The [[users]] keys the registered modules declare for their devices' own users (s400_profile_id).
std::vector<DeviceUserKey> device_user_keys();

// The validated config; throws config::ConfigError ("file:line:column: …" per problem).
Config load_config(const std::filesystem::path& path);
Config load_config_text(std::string_view text, std::string_view source_name);

// For commands that work with the config: loads it into `config`, then sets the log level and the
// time zone it names. k_exit_ok, or k_exit_config after printing why on stderr.
int load_config_for_command(const std::filesystem::path& path, Config& config);

}  // namespace ble2garmin::app
