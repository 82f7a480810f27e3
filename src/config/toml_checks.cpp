#include "config/toml_checks.hpp"

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

std::string source_position(const toml::node& node) { return source_position(node.source()); }

Result<void> check_known_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                              std::string_view table_name)
{
    for (const auto& [key, node] : table) {
        bool known = false;
        for (auto name : allowed) {
            known = known || key.str() == name;
        }
        if (!known) {
            std::string list;
            for (auto name : allowed) {
                list += list.empty() ? "" : ", ";
                list += name;
            }
            return make_error(source_position(key.source()) + ": unknown key '" + std::string(key.str()) + "' in [" +
                              std::string(table_name) + "] (known keys: " + list + ")");
        }
    }
    return {};
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
    return make_error(source_position(*node) + ": '" + std::string(key) + "' must be a string");
}

}  // namespace ble2garmin::config
