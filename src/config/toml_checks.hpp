#pragma once
// Small helpers shared by the config loader and the device modules to validate a TOML table and
// report every problem as "file:line:column: message".

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "ble2garmin/result.hpp"

namespace ble2garmin::config {

// "file:line:column" of a node (just "line:column" when the text had no file name).
std::string source_position(const toml::node& node);
std::string source_position(const toml::source_region& region);

// An Error naming the first key of `table` that is not in `allowed`, with its position.
Result<void> check_known_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                              std::string_view table_name);

// The string at `key`, nullopt when absent, an Error when present with another type.
Result<std::optional<std::string>> optional_string(const toml::table& table, std::string_view key);

}  // namespace ble2garmin::config
