#include "config/loader.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include "config/sections.hpp"
#include "config/toml_checks.hpp"

namespace ble2garmin::config {
namespace {

constexpr std::string_view k_top_level_keys[] = {"general", "storage", "pipeline", "bluetooth",
                                                 "garmin",  "rowing",  "users",    "devices"};

std::vector<std::string> split_lines(std::string_view text)
{
    std::vector<std::string> lines;
    while (!text.empty()) {
        const std::size_t newline = text.find('\n');
        lines.emplace_back(text.substr(0, newline));
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    }
    return lines;
}

std::string join_lines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& line : lines) {
        out += out.empty() ? "" : "\n";
        out += line;
    }
    return out;
}

}  // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), m_problems(std::move(problems))
{
}

ConfigError::ConfigError(const std::string& message) : ConfigError(split_lines(message)) {}

Config parse(std::string_view toml_text, std::string_view source_name,
             std::span<const std::string_view> known_modules, std::span<const DeviceUserKey> device_user_keys)
{
    toml::table root;
    try {
        root = toml::parse(toml_text, source_name);
    } catch (const toml::parse_error& error) {
        // A syntax error stops toml++ at the first one: there is nothing further to check.
        throw ConfigError({source_position(error.source()) + ": " + std::string(error.description())});
    }
    Problems problems;
    for (const auto& problem : unknown_keys(root, k_top_level_keys, "")) {
        problems.add(problem.where, problem.message);
    }
    Config config;
    if (const auto* node = root.get("general")) {
        read_general(*node, config.general, problems);
    }
    if (const auto* node = root.get("storage")) {
        read_storage(*node, config.storage, problems);
    }
    if (const auto* node = root.get("pipeline")) {
        read_pipeline(*node, config.pipeline, problems);
    }
    if (const auto* node = root.get("bluetooth")) {
        read_bluetooth(*node, config.bluetooth, problems);
    }
    if (const auto* node = root.get("garmin")) {
        read_garmin(*node, config.garmin, problems);
    }
    if (const auto* node = root.get("users")) {
        read_users(*node, device_user_keys, config.users, problems);
    }
    if (auto* node = root.get("devices")) {
        read_devices(*node, known_modules, config.devices, problems);
    }
    if (const auto* node = root.get("rowing")) {
        read_rowing(*node, config.rowing, problems);
        check_rowing_user(*node, config.rowing, config.users, problems);
    }
    if (!problems.empty()) {
        throw ConfigError(problems.lines());
    }
    return config;
}

Config load_file(const std::filesystem::path& path, std::span<const std::string_view> known_modules,
                 std::span<const DeviceUserKey> device_user_keys)
{
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        throw ConfigError({path.string() + ": cannot read the configuration: it is a directory"});
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw ConfigError(
            {path.string() + ": cannot read the configuration: " + std::generic_category().message(errno)});
    }
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) {
        throw ConfigError({path.string() + ": cannot read the configuration: read error"});
    }
    Config config = parse(text.str(), path.string(), known_modules, device_user_keys);
    config.source = path;
    return config;
}

}  // namespace ble2garmin::config
