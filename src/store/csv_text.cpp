#include "store/csv_text.hpp"

namespace ble2garmin::store {

std::vector<std::string_view> split_lines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t newline = text.find('\n', start);
        const std::size_t stop = newline == std::string_view::npos ? text.size() : newline;
        std::string_view line = text.substr(start, stop - start);
        while (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        start = stop + 1;
    }
    return lines;
}

std::vector<std::string_view> split_fields(std::string_view line)
{
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (;;) {
        const std::size_t delimiter = line.find(k_field_delimiter, start);
        if (delimiter == std::string_view::npos) {
            fields.push_back(line.substr(start));
            return fields;
        }
        fields.push_back(line.substr(start, delimiter - start));
        start = delimiter + 1;
    }
}

std::string join_fields(const std::vector<std::string>& fields)
{
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            line += k_field_delimiter;
        }
        line += fields[i];
    }
    return line;
}

}  // namespace ble2garmin::store
