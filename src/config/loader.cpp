#include "config/loader.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include "config/sections.hpp"
#include "config/toml_checks.hpp"
#include "fs/small_file.hpp"

namespace ble2garmin::config {
namespace {

constexpr std::string_view k_top_level_keys[] = {"general", "storage", "pipeline", "bluetooth", "garmin",
                                                 "rowing",  "mqtt",    "users",    "devices"};

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

// A problem line as shown: a quoted value longer than k_longest_shown_value characters (a pasted
// file, a runaway string) is cut, so one bad value cannot make a 10 MB message.
constexpr std::size_t k_longest_shown_value = 80;

std::string cut_long_values(std::string_view line)
{
    std::string out;
    while (!line.empty()) {
        const std::size_t open = line.find('"');
        const std::size_t close = open == std::string_view::npos ? open : line.find('"', open + 1);
        if (close == std::string_view::npos) {
            out += line;
            break;
        }
        const std::string_view value = line.substr(open + 1, close - open - 1);
        out += line.substr(0, open + 1);
        if (value.size() > k_longest_shown_value) {
            out += value.substr(0, k_longest_shown_value / 2);
            out += "…(" + std::to_string(value.size()) + " characters)";
        } else {
            out += value;
        }
        out += '"';
        line.remove_prefix(close + 1);
    }
    return out;
}

std::vector<std::string> cut_long_values(std::vector<std::string> lines)
{
    for (auto& line : lines) {
        line = cut_long_values(line);
    }
    return lines;
}

// toml++'s words for a string that is not closed on its line ("unescaped control characters other
// than TAB…", the line break being the control character) or in the file, said as the user's mistake.
std::string parse_error_text(const toml::parse_error& error, std::string_view text)
{
    const std::string description(error.description());
    const auto& where = error.source().begin;
    std::string_view line = text;
    for (std::size_t n = 1; n < where.line && !line.empty(); ++n) {
        const std::size_t newline = line.find('\n');
        line = newline == std::string_view::npos ? std::string_view{} : line.substr(newline + 1);
    }
    line = line.substr(0, line.find('\n'));
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    const bool at_line_end = where.column > line.size();
    const bool in_string = description.find("parsing string") != std::string::npos ||
                           description.find("parsing literal string") != std::string::npos;
    if (in_string && at_line_end && description.find("control character") != std::string::npos) {
        const char quote = description.find("literal string") != std::string::npos ? '\'' : '"';
        return std::string("the string is not closed: add the closing ") + quote +
               " before the end of line " + std::to_string(where.line);
    }
    if (in_string && description.find("end-of-file") != std::string::npos) {
        return "the string is not closed before the end of the file";
    }
    return description;
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
    : std::runtime_error(join_lines(cut_long_values(problems))),
      m_problems(cut_long_values(std::move(problems)))
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
        throw ConfigError({source_position(error.source()) + ": " + parse_error_text(error, toml_text)});
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
    if (const auto* node = root.get("mqtt")) {
        read_mqtt(*node, config.mqtt, problems);
    }
    if (!problems.empty()) {
        throw ConfigError(problems.lines());
    }
    return config;
}

Config load_file(const std::filesystem::path& path, std::span<const std::string_view> known_modules,
                 std::span<const DeviceUserKey> device_user_keys)
{
    auto text = fs::read_small_file(path, fs::k_max_config_bytes);
    if (!text) {
        throw ConfigError({path.string() + ": cannot read the configuration: " + text.error().message});
    }
    Config config = parse(*text, path.string(), known_modules, device_user_keys);
    config.source = path;
    return config;
}

}  // namespace ble2garmin::config
