#include "app/load_config.hpp"

#include <iostream>

#include "ble2garmin/device_module.hpp"

#include "app/exit_codes.hpp"
#include "config/loader.hpp"
#include "log/logging.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

Config validate_devices(Config config)
{
    std::string problems;
    for (const auto& device : config.devices) {
        const auto* descriptor = find_device_module(device.module);
        auto instance = descriptor != nullptr ? descriptor->create(device.options)
                                              : Result<std::unique_ptr<DeviceModule>>(make_error(
                                                    "no device module named '" + device.module + "'"));
        if (!instance) {
            problems += problems.empty() ? "" : "\n";
            problems += instance.error().message;
        }
    }
    if (!problems.empty()) {
        throw config::ConfigError(problems);
    }
    return config;
}

}  // namespace

std::vector<std::string_view> module_names()
{
    std::vector<std::string_view> names;
    for (const auto* descriptor : device_modules()) {
        names.push_back(descriptor->name);
    }
    return names;
}

std::vector<DeviceUserKey> device_user_keys()
{
    std::vector<DeviceUserKey> keys;
    for (const auto* descriptor : device_modules()) {
        if (!descriptor->user_key.key.empty()) {
            keys.push_back(descriptor->user_key);
        }
    }
    return keys;
}

Config load_config(const std::filesystem::path& path)
{
    return validate_devices(config::load_file(path, module_names(), device_user_keys()));
}

int load_config_for_command(const std::filesystem::path& path, Config& config)
{
    try {
        config = load_config(path);
    } catch (const config::ConfigError& error) {
        std::cerr << error.what() << "\n";
        return k_exit_config;
    }
    if (auto level = logging::init(config.general.log_level); !level) {
        std::cerr << level.error().message << "\n";
        return k_exit_config;
    }
    if (auto zone = use_time_zone(config.general.timezone); !zone) {
        std::cerr << zone.error().message << "\n";
        return k_exit_config;
    }
    return k_exit_ok;
}

Config load_config_text(std::string_view text, std::string_view source_name)
{
    return validate_devices(config::parse(text, source_name, module_names(), device_user_keys()));
}

}  // namespace ble2garmin::app
