#pragma once
// Reads export2garmin.cfg the way a person reads it, never by running it: shell-style `key=value`
// lines, `#` comments, optional quotes, and Python tuples for the user lines.

#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/result.hpp"

namespace ble2garmin::config {

// One `key=value` line; quotes are removed, a tuple value keeps its parentheses.
struct ShellAssignment {
    int line = 0;  // 1-based
    std::string key;
    std::string value;
};

// A line that is neither blank, a comment nor an assignment.
struct ShellLineProblem {
    int line = 0;
    std::string key;     // when the line starts like an assignment, else empty
    std::string reason;  // never contains the value: it may be a secret
};

struct ShellCfg {
    std::vector<ShellAssignment> assignments;  // in file order, repeats included
    std::vector<ShellLineProblem> problems;
};

ShellCfg parse_shell_cfg(std::string_view text);

// One item of a tuple: the text without its quotes.
struct TupleItem {
    std::string text;
    bool quoted = false;
};

// The items of `("male", 172, "02-04-1984", "email@email.com", 65, 53)`: quoted strings and bare
// numbers separated by commas (a trailing comma is allowed, as in Python). An Error otherwise.
Result<std::vector<TupleItem>> parse_tuple(std::string_view text);

}  // namespace ble2garmin::config
