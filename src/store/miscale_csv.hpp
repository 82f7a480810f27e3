#pragma once
// The whole text of miscale_backup.csv as a document: the header, the rows, and the lines that are
// not rows. Lines that cannot be parsed are kept verbatim at their place, so writing the document
// back never loses a byte of them (shared/spec/export2garmin-compat.md §6.1, §7).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/miscale_header.hpp"
#include "store/miscale_row.hpp"

namespace ble2garmin::store {

struct UnreadableLine {
    std::size_t line_number = 0;  // 1-based, the header being line 1
    std::string text;             // verbatim, without the line ending
    std::string reason;           // why it is not a row (no file content)
};

struct MiscaleCsv {
    // The first line when it is a header, verbatim (older export2garmin versions wrote other
    // headers; they are kept as they are).
    std::optional<std::string> header;
    HeaderSuffixes suffixes;                 // detected from the header; none without one
    std::vector<MiscaleRow> rows;            // the rows in file order
    std::vector<UnreadableLine> unreadable;  // by line number; interleaved with rows in the file

    // The line number of the first line after the header.
    std::size_t first_data_line() const { return header ? 2 : 1; }
};

// The document for any text: never throws or fails (lines that are not rows go to `unreadable`).
// "\r\n" line endings and a last line without '\n' are accepted.
MiscaleCsv parse_miscale_csv(std::string_view text);

// The file text: the header and every row and unreadable line in their order, each ended by '\n'.
std::string format_miscale_csv(const MiscaleCsv& csv);

// The weight text of `email`'s uploaded row with the greatest Unix time before `unix_time` (the
// later one in the file on a tie); empty when there is none. This is the reference of the
// Change [kg] column (§8, as re-implemented).
std::optional<std::string_view> previous_uploaded_weight(const MiscaleCsv& csv, std::string_view email,
                                                         std::int64_t unix_time);

}  // namespace ble2garmin::store
