#pragma once
// Reads a text file one line at a time through a fixed-size buffer, so that a history of any length
// is read in constant memory. Every line comes with its own ending, exactly as it is in the file —
// "\n" (export2garmin's bash), "\r\n" (Python's csv module, spreadsheets), a lone "\r" (old Mac
// editors) or nothing for a last line without one — so a rewrite can give back every byte it does
// not change.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ble2garmin/result.hpp"

namespace ble2garmin::fs {

struct Line {
    std::string text;         // without the ending
    std::string_view ending;  // "\n", "\r\n", "\r" or ""
    std::size_t number = 0;   // 1-based
};

class LineReader {
public:
    // Opens `path` without following a symbolic link. A missing file reads as no lines; an Error
    // when it is a link, not a regular file, or cannot be opened.
    static Result<LineReader> open(const std::filesystem::path& path);
    // Reads from `text` (tests, fuzzing).
    static LineReader from_text(std::string text);
    LineReader(LineReader&& other) noexcept;
    LineReader& operator=(LineReader&&) = delete;
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;
    ~LineReader();

    // The next line into `line`; false at the end of the file or on a read error (see error()).
    bool next(Line& line);
    // Why reading stopped early; empty after a clean end of file.
    const std::optional<Error>& error() const { return m_error; }
    // True when the file existed.
    bool exists() const { return m_fd >= 0 || m_from_text; }

private:
    LineReader() = default;
    // Reads more into the buffer; false at the end of the file or on an error.
    bool fill();

    std::filesystem::path m_path;
    int m_fd = -1;
    bool m_from_text = false;
    bool m_end = false;
    std::string m_buffer;
    std::size_t m_position = 0;
    std::size_t m_line_number = 0;
    std::optional<Error> m_error;
};

// The ending to use for lines appended after `ending` (a file's own style; "\n" when it has none).
std::string_view line_ending_or_default(std::string_view ending);

}  // namespace ble2garmin::fs
