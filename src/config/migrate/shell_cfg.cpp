#include "config/migrate/shell_cfg.hpp"

#include <cctype>

namespace ble2garmin::config {
namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

bool is_shell_name(std::string_view key)
{
    if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front())) != 0) {
        return false;
    }
    for (char c : key) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') {
            return false;
        }
    }
    return true;
}

// After a value only blanks or a `#` comment may follow.
bool only_comment_left(std::string_view rest)
{
    rest = trim(rest);
    return rest.empty() || rest.front() == '#';
}

// Position just past the ')' closing the tuple that starts at text[0], skipping quoted commas and
// parentheses; npos when it is not closed.
std::size_t tuple_end(std::string_view text)
{
    char quote = 0;
    for (std::size_t i = 1; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
            quote = c == quote ? 0 : quote;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == ')') {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

// Splits the value off `rest` (what follows '=') into `value`; false with a `reason` when the
// value is not closed or other text than a comment follows it.
bool split_value(std::string_view rest, std::string& value, std::string& reason)
{
    if (rest.empty()) {
        value.clear();
        return true;
    }
    const char first = rest.front();
    std::size_t end = 0;
    if (first == '(') {
        end = tuple_end(rest);
        if (end == std::string_view::npos) {
            reason = "the tuple has no closing ')'";
            return false;
        }
        value = std::string(rest.substr(0, end));
    } else if (first == '"' || first == '\'') {
        const std::size_t close = rest.find(first, 1);
        if (close == std::string_view::npos) {
            reason = "the quoted value has no closing quote";
            return false;
        }
        value = std::string(rest.substr(1, close - 1));
        end = close + 1;
    } else {
        end = 0;
        while (end < rest.size() && !is_space(rest[end])) {
            ++end;
        }
        value = std::string(rest.substr(0, end));
    }
    if (!only_comment_left(rest.substr(end))) {
        reason = "unexpected text after the value";
        return false;
    }
    return true;
}

}  // namespace

ShellCfg parse_shell_cfg(std::string_view text)
{
    ShellCfg cfg;
    int number = 0;
    while (!text.empty()) {
        const std::size_t newline = text.find('\n');
        const std::string_view raw = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        ++number;
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#') {
            continue;
        }
        const std::size_t equals = line.find('=');
        const std::string_view key = equals == std::string_view::npos ? line : trim(line.substr(0, equals));
        if (equals == std::string_view::npos || !is_shell_name(key)) {
            cfg.problems.push_back({number, {}, "not a key=value line"});
            continue;
        }
        std::string value;
        std::string reason;
        if (!split_value(trim(line.substr(equals + 1)), value, reason)) {
            cfg.problems.push_back({number, std::string(key), reason});
            continue;
        }
        cfg.assignments.push_back({number, std::string(key), std::move(value)});
    }
    return cfg;
}

Result<std::vector<TupleItem>> parse_tuple(std::string_view text)
{
    text = trim(text);
    if (text.size() < 2 || text.front() != '(' || text.back() != ')') {
        return make_error("expected a tuple in parentheses");
    }
    std::string_view rest = text.substr(1, text.size() - 2);
    std::vector<TupleItem> items;
    while (true) {
        rest = trim(rest);
        if (rest.empty()) {
            break;  // "()" or a trailing comma
        }
        TupleItem item;
        std::size_t end = 0;
        if (rest.front() == '"' || rest.front() == '\'') {
            const std::size_t close = rest.find(rest.front(), 1);
            if (close == std::string_view::npos) {
                return make_error("item " + std::to_string(items.size() + 1) + " has no closing quote");
            }
            item = {std::string(rest.substr(1, close - 1)), true};
            end = close + 1;
        } else {
            while (end < rest.size() && rest[end] != ',' && !is_space(rest[end])) {
                const char c = rest[end];
                if (std::isdigit(static_cast<unsigned char>(c)) == 0 && c != '.' && c != '-' && c != '+') {
                    return make_error("item " + std::to_string(items.size() + 1) +
                                      " is neither a quoted string nor a number");
                }
                ++end;
            }
            item = {std::string(rest.substr(0, end)), false};
        }
        items.push_back(std::move(item));
        rest = trim(rest.substr(end));
        if (rest.empty()) {
            break;
        }
        if (rest.front() != ',') {
            return make_error("expected ',' after item " + std::to_string(items.size()));
        }
        rest.remove_prefix(1);
    }
    return items;
}

}  // namespace ble2garmin::config
