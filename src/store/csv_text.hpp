#pragma once
// Field splitting shared by the export2garmin CSV files: ';' between fields, no quoting
// (a field can never contain ';' or a line break), '\n' after every line.

#include <string>
#include <string_view>
#include <vector>

namespace ble2garmin::store {

inline constexpr char k_field_delimiter = ';';

// The ';'-separated fields of one line; an empty line is one empty field. Views point into `line`.
std::vector<std::string_view> split_fields(std::string_view line);

// The fields joined with ';' (the inverse of split_fields).
std::string join_fields(const std::vector<std::string>& fields);

}  // namespace ble2garmin::store
