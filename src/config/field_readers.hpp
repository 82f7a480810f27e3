#pragma once
// The loader's way of reading one TOML table: every accessor records what is wrong ("file:line:column:
// 'general.log_level' must be …") and carries on, so one run reports every problem of the file.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "ble2garmin/result.hpp"

namespace ble2garmin::config {

// Every problem found in one config text.
class Problems {
public:
    void add(const toml::source_region& where, std::string_view message);
    void add(const toml::node& where, std::string_view message) { add(where.source(), message); }

    bool empty() const { return m_entries.empty(); }
    // "file:line:column: message" each, in the order of the file (then the order found).
    std::vector<std::string> lines() const;
    // Ok when there are none, else an Error with every line (a device module's create()).
    Result<void> result() const;

private:
    struct Entry {
        toml::source_position position;
        std::string line;
    };
    std::vector<Entry> m_entries;
};

// One table of the config, named for messages by its dotted path ("general", "users",
// "devices.mi_scale"). The accessors return nullopt when the key is absent or its value is wrong;
// a wrong value is recorded in the problems, an absent one is not (see require()).
class TableReader {
public:
    TableReader(const toml::table& table, std::string name, Problems& problems);

    // Records every key that is not in `allowed`.
    void reject_unknown_keys(std::initializer_list<std::string_view> allowed);
    void reject_unknown_keys(std::span<const std::string_view> allowed);
    // False, with one problem at the table's own position (its header) naming every absent key,
    // when any of `keys` is absent.
    bool require(std::initializer_list<std::string_view> keys);

    const toml::node* node(std::string_view key) const { return m_table.get(key); }
    std::optional<std::string> string(std::string_view key);
    // A string that must not be empty ("must not be empty" at its position otherwise).
    std::optional<std::string> non_empty_string(std::string_view key);
    // A string that must be one of `choices`.
    std::optional<std::string> choice(std::string_view key, std::initializer_list<std::string_view> choices);
    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
    // An integer or a floating-point number (range checks are the caller's: their messages differ).
    std::optional<double> number(std::string_view key);
    std::optional<bool> boolean(std::string_view key);
    // An array of strings (each element checked, at its own position).
    std::optional<std::vector<std::string>> string_list(std::string_view key);
    // A TOML local date (1984-04-02) or a string "YYYY-MM-DD".
    std::optional<std::chrono::year_month_day> date(std::string_view key);

    // Records "'<name>.<key>' <what>" at the value of `key` (which must be present).
    void problem(std::string_view key, std::string_view what);
    // "general.log_level"
    std::string qualified(std::string_view key) const;
    // Where the problems go (for a reader of a nested table).
    Problems& problems() const { return m_problems; }

private:
    void wrong_type(std::string_view key, const toml::node& node, std::string_view expected);

    const toml::table& m_table;
    std::string m_name;
    Problems& m_problems;
};

// "172.5", "65", "0.1": the shortest text of a number for messages.
std::string format_number(double value);

}  // namespace ble2garmin::config
