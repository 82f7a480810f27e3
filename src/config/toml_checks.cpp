#include "config/toml_checks.hpp"

#include <sstream>

namespace ble2garmin::config {

std::string source_position(const toml::source_region& region)
{
    std::string out;
    if (region.path && !region.path->empty()) {
        out += *region.path;
        out += ':';
    }
    out += std::to_string(region.begin.line);
    out += ':';
    out += std::to_string(region.begin.column);
    return out;
}

std::string source_position(const toml::node& node)
{
    return source_position(node.source());
}

std::string_view type_name(const toml::node& node)
{
    switch (node.type()) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a floating-point number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

std::vector<TomlProblem> unknown_keys(const toml::table& table, std::span<const std::string_view> allowed,
                                      std::string_view table_name)
{
    std::vector<TomlProblem> problems;
    for (const auto& [key, node] : table) {
        bool known = false;
        for (auto name : allowed) {
            known = known || key.str() == name;
        }
        if (known) {
            continue;
        }
        std::string list;
        for (auto name : allowed) {
            list += list.empty() ? "" : ", ";
            list += name;
        }
        const std::string where =
            table_name.empty() ? "at the top level" : "in [" + std::string(table_name) + "]";
        problems.push_back({key.source(), "unknown key '" + std::string(key.str()) + "' " + where +
                                              " (known keys: " + list + ")"});
    }
    return problems;
}

Result<void> check_known_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                              std::string_view table_name)
{
    auto problems =
        unknown_keys(table, std::span<const std::string_view>(allowed.begin(), allowed.size()), table_name);
    if (!problems.empty()) {
        return make_error(source_position(problems.front().where) + ": " + problems.front().message);
    }
    return {};
}

std::string toml_string(std::string_view text)
{
    std::ostringstream out;
    out << toml::toml_formatter(toml::value<std::string>(std::string(text)),
                                toml::format_flags::allow_unicode_strings);
    return out.str();
}

Result<std::optional<std::string>> optional_string(const toml::table& table, std::string_view key)
{
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        return std::optional<std::string>{};
    }
    if (const auto* text = node->as_string()) {
        return std::optional<std::string>{text->get()};
    }
    return make_error(source_position(*node) + ": '" + std::string(key) + "' must be a string (found " +
                      std::string(type_name(*node)) + ")");
}

}  // namespace ble2garmin::config
