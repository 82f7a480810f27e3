#include "store/miscale_csv.hpp"

#include "store/csv_text.hpp"

namespace ble2garmin::store {

MiscaleCsv parse_miscale_csv(std::string_view text)
{
    MiscaleCsv csv;
    const std::vector<std::string_view> lines = split_lines(text);
    std::size_t index = 0;
    if (!lines.empty() && is_miscale_header(lines[0])) {
        csv.header = std::string(lines[0]);
        csv.suffixes = detect_suffixes(lines[0]);
        index = 1;
    }
    for (; index < lines.size(); ++index) {
        const std::size_t line_number = index + 1;
        if (lines[index].empty()) {
            csv.unreadable.push_back({line_number, std::string(), "empty line"});
            continue;
        }
        auto row = MiscaleRow::parse(lines[index]);
        if (row) {
            csv.rows.push_back(std::move(row).value());
        } else {
            csv.unreadable.push_back({line_number, std::string(lines[index]), row.error().message});
        }
    }
    return csv;
}

std::string format_miscale_csv(const MiscaleCsv& csv)
{
    std::string text;
    if (csv.header) {
        text += *csv.header;
        text += '\n';
    }
    std::size_t line_number = csv.first_data_line();
    std::size_t row = 0;
    std::size_t unreadable = 0;
    // An unreadable line goes back to its own line number; rows fill every other line in order.
    while (row < csv.rows.size() || unreadable < csv.unreadable.size()) {
        const bool unreadable_here =
            unreadable < csv.unreadable.size() &&
            (csv.unreadable[unreadable].line_number <= line_number || row == csv.rows.size());
        if (unreadable_here) {
            text += csv.unreadable[unreadable++].text;
        } else {
            text += csv.rows[row++].text();
        }
        text += '\n';
        ++line_number;
    }
    return text;
}

std::optional<std::string_view> previous_uploaded_weight(const MiscaleCsv& csv, std::string_view email,
                                                         std::int64_t unix_time)
{
    const MiscaleRow* previous = nullptr;
    for (const MiscaleRow& row : csv.rows) {
        if (row.status() == RowStatus::uploaded && row.email() == email && row.unix_time() < unix_time &&
            (previous == nullptr || row.unix_time() >= previous->unix_time())) {
            previous = &row;
        }
    }
    if (previous == nullptr) {
        return std::nullopt;
    }
    return previous->weight_text();
}

}  // namespace ble2garmin::store
