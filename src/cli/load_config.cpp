#include "cli/load_config.hpp"

#include "ble2garmin/device_module.hpp"

#include "config/loader.hpp"

namespace ble2garmin::cli {
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

Config load_config(const std::filesystem::path& path)
{
    const auto names = module_names();
    return validate_devices(config::load_file(path, names));
}

Config load_config_text(std::string_view text, std::string_view source_name)
{
    const auto names = module_names();
    return validate_devices(config::parse(text, source_name, names));
}

}  // namespace ble2garmin::cli
