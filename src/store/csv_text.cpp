#include "store/csv_text.hpp"

namespace ble2garmin::store {

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
