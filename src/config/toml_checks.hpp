#pragma once
// Small helpers shared by the config loader and the device modules to validate a TOML table and
// report every problem as "file:line:column: message".

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "ble2garmin/result.hpp"

namespace ble2garmin::config {

// "file:line:column" of a node (just "line:column" when the text had no file name).
std::string source_position(const toml::node& node);
std::string source_position(const toml::source_region& region);

// "a string", "an integer", "a table", … for messages such as "must be a string (found an integer)".
std::string_view type_name(const toml::node& node);

// A problem at a place in the TOML text; `message` does not repeat the position.
struct TomlProblem {
    toml::source_region where;
    std::string message;
};

// One problem per key of `table` that is not in `allowed`, at the key; empty when every key is
// known. An empty `table_name` means the top level of the document.
std::vector<TomlProblem> unknown_keys(const toml::table& table, std::span<const std::string_view> allowed,
                                      std::string_view table_name);

// An Error naming the first key of `table` that is not in `allowed`, with its position.
Result<void> check_known_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                              std::string_view table_name);

// `text` as a TOML basic string ("…" with escapes), for writing TOML by hand.
std::string toml_string(std::string_view text);

// The string at `key`, nullopt when absent, an Error when present with another type.
Result<std::optional<std::string>> optional_string(const toml::table& table, std::string_view key);

}  // namespace ble2garmin::config
