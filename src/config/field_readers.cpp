#include "config/field_readers.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "config/toml_checks.hpp"
#include "util/time.hpp"

namespace ble2garmin::config {

std::string format_number(double value)
{
    char text[32];
    (void)std::snprintf(text, sizeof text, "%.15g", value);
    return text;
}

void Problems::add(const toml::source_region& where, std::string_view message)
{
    // A table built in code (`ble2garmin decode --bindkey`) has no position to name.
    m_entries.push_back({where.begin, where.begin.line == 0
                                          ? std::string(message)
                                          : source_position(where) + ": " + std::string(message)});
}

Result<void> Problems::result() const
{
    if (empty()) {
        return {};
    }
    std::string text;
    for (const auto& line : lines()) {
        text += text.empty() ? "" : "\n";
        text += line;
    }
    return make_error(text);
}

std::vector<std::string> Problems::lines() const
{
    auto entries = m_entries;
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.position.line != b.position.line ? a.position.line < b.position.line
                                                  : a.position.column < b.position.column;
    });
    std::vector<std::string> out;
    out.reserve(entries.size());
    for (auto& entry : entries) {
        out.push_back(std::move(entry.line));
    }
    return out;
}

TableReader::TableReader(const toml::table& table, std::string name, Problems& problems)
    : m_table(table), m_name(std::move(name)), m_problems(problems)
{
}

std::string TableReader::qualified(std::string_view key) const
{
    return m_name + "." + std::string(key);
}

void TableReader::reject_unknown_keys(std::initializer_list<std::string_view> allowed)
{
    reject_unknown_keys(std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

void TableReader::reject_unknown_keys(std::span<const std::string_view> allowed)
{
    for (const auto& problem : unknown_keys(m_table, allowed, m_name)) {
        m_problems.add(problem.where, problem.message);
    }
}

bool TableReader::require(std::initializer_list<std::string_view> keys)
{
    std::string missing;
    int count = 0;
    for (auto key : keys) {
        if (!m_table.contains(key)) {
            missing += missing.empty() ? "" : ", ";
            missing += key;
            ++count;
        }
    }
    if (count == 0) {
        return true;
    }
    m_problems.add(m_table, std::string(count == 1 ? "missing required key" : "missing required keys") +
                                " in [" + m_name + "]: " + missing);
    return false;
}

void TableReader::problem(std::string_view key, std::string_view what)
{
    const toml::node* value = m_table.get(key);
    const std::string message = "'" + qualified(key) + "' " + std::string(what);
    if (value != nullptr) {
        m_problems.add(*value, message);
    } else {
        m_problems.add(m_table, message);
    }
}

void TableReader::wrong_type(std::string_view key, const toml::node& value, std::string_view expected)
{
    m_problems.add(value, "'" + qualified(key) + "' must be " + std::string(expected) + " (found " +
                              std::string(type_name(value)) + ")");
}

std::optional<std::string> TableReader::string(std::string_view key)
{
    const toml::node* value = m_table.get(key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (const auto* text = value->as_string()) {
        return text->get();
    }
    wrong_type(key, *value, "a string");
    return std::nullopt;
}

std::optional<std::string> TableReader::non_empty_string(std::string_view key)
{
    auto text = string(key);
    if (text && text->empty()) {
        problem(key, "must not be empty");
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> TableReader::choice(std::string_view key,
                                               std::initializer_list<std::string_view> choices)
{
    auto text = string(key);
    if (!text) {
        return std::nullopt;
    }
    std::string list;
    for (auto choice : choices) {
        if (*text == choice) {
            return text;
        }
        list += list.empty() ? "" : ", ";
        list += "\"" + std::string(choice) + "\"";
    }
    problem(key, "must be one of " + list + " (found \"" + *text + "\")");
    return std::nullopt;
}

std::optional<std::int64_t> TableReader::integer(std::string_view key, std::int64_t min, std::int64_t max)
{
    const toml::node* value = m_table.get(key);
    if (value == nullptr) {
        return std::nullopt;
    }
    const auto* number = value->as_integer();
    if (number == nullptr) {
        wrong_type(key, *value, "an integer");
        return std::nullopt;
    }
    if (number->get() < min || number->get() > max) {
        problem(key, "must be from " + std::to_string(min) + " to " + std::to_string(max) + " (found " +
                         std::to_string(number->get()) + ")");
        return std::nullopt;
    }
    return number->get();
}

std::optional<double> TableReader::number(std::string_view key)
{
    const toml::node* value = m_table.get(key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (const auto* whole = value->as_integer()) {
        return static_cast<double>(whole->get());
    }
    if (const auto* real = value->as_floating_point()) {
        if (!std::isfinite(real->get())) {
            problem(key, "must be a finite number");
            return std::nullopt;
        }
        return real->get();
    }
    wrong_type(key, *value, "a number");
    return std::nullopt;
}

std::optional<bool> TableReader::boolean(std::string_view key)
{
    const toml::node* value = m_table.get(key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (const auto* flag = value->as_boolean()) {
        return flag->get();
    }
    wrong_type(key, *value, "true or false");
    return std::nullopt;
}

std::optional<std::vector<std::string>> TableReader::string_list(std::string_view key)
{
    const toml::node* value = m_table.get(key);
    if (value == nullptr) {
        return std::nullopt;
    }
    const auto* array = value->as_array();
    if (array == nullptr) {
        wrong_type(key, *value, "an array of strings");
        return std::nullopt;
    }
    std::vector<std::string> out;
    bool valid = true;
    for (const auto& element : *array) {
        if (const auto* text = element.as_string()) {
            out.push_back(text->get());
        } else {
            m_problems.add(element, "'" + qualified(key) + "' must hold only strings (found " +
                                        std::string(type_name(element)) + ")");
            valid = false;
        }
    }
    if (!valid) {
        return std::nullopt;
    }
    return out;
}

std::optional<std::chrono::year_month_day> TableReader::date(std::string_view key)
{
    const toml::node* value = m_table.get(key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (const auto* local = value->as_date()) {
        const toml::date& d = local->get();
        return std::chrono::year_month_day{std::chrono::year{d.year}, std::chrono::month{d.month},
                                           std::chrono::day{d.day}};
    }
    if (const auto* text = value->as_string()) {
        auto parsed = parse_iso_date(text->get());
        if (!parsed) {
            problem(key, "must be a date: " + parsed.error().message);
            return std::nullopt;
        }
        return *parsed;
    }
    wrong_type(key, *value, "a date such as 1984-04-02");
    return std::nullopt;
}

}  // namespace ble2garmin::config
