#pragma once
// Reads the TOML configuration into the plain structs of ble2garmin/config.hpp, validating every
// key (types, ranges, unknown keys) with file:line:column in each message, and renders a Config
// back to TOML. Every key is documented in docs/configuration.md.

#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/config.hpp"

namespace ble2garmin::config {

// An invalid configuration: start-up cannot continue (the CLI maps it to exit code 3). what() is
// one line per problem, each "file:line:column: what is wrong".
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(std::vector<std::string> problems);
    // `message` may hold several problems, one per line.
    explicit ConfigError(const std::string& message);

    const std::vector<std::string>& problems() const { return m_problems; }

private:
    std::vector<std::string> m_problems;
};

// Reads and validates the file at `path`; `known_modules` are the names allowed under [devices],
// `device_user_keys` the per-device keys allowed in [[users]] (both declared by the device modules).
// Config::source is set to `path`. Throws ConfigError listing every problem (an unreadable file too).
Config load_file(const std::filesystem::path& path, std::span<const std::string_view> known_modules,
                 std::span<const DeviceUserKey> device_user_keys = {});

// Validates `toml_text`; `source_name` is the file name used in the messages. Config::source is left
// empty. Throws ConfigError listing every problem.
Config parse(std::string_view toml_text, std::string_view source_name,
             std::span<const std::string_view> known_modules,
             std::span<const DeviceUserKey> device_user_keys = {});

// The effective configuration, every key included (defaults too), as TOML that parse() reads back to
// an equal Config. Devices are written as [[devices.<module>]] with their whole table.
std::string to_toml(const Config& config);

}  // namespace ble2garmin::config
