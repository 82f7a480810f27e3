#pragma once
// The file side of a CSV backup (miscale_backup.csv, omron_backup.csv): read it whole, append rows
// durably, and replace it atomically. Knows nothing of the rows.
//
// Crash safety: an append is one O_APPEND write followed by fsync, and is cut back to the old size
// when the write or fsync fails. A replacement is written to a temp file in the same directory
// (".<name>.tmp-XXXXXX"), fsynced, given the original's mode, renamed over the original and the
// directory fsynced, so after a crash at any moment the file holds either the old or the new text.
// A temp file left by a crash is never read as the backup and is removed by
// remove_stale_temp_files(). One process owns a backup file at a time.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ble2garmin/result.hpp"

#include "fs/file_sync.hpp"

namespace ble2garmin::fs {

struct AppendOutcome {
    bool created = false;         // the file did not exist
    bool wrote_header = false;    // the file was new or empty, so the header went first
    bool added_line_end = false;  // the last line had no '\n', so one went first
};

class CsvFile {
public:
    explicit CsvFile(std::filesystem::path path, FileSync& sync = system_file_sync());

    const std::filesystem::path& path() const { return m_path; }
    FileSync& sync() const { return *m_sync; }

    // The whole content; empty when the file does not exist; an Error when it cannot be read or is a
    // symbolic link.
    Result<std::optional<std::string>> read() const;

    // Appends `lines` (each with its ending) at the end of the file, preceded by `header_line` (with
    // its ending) when the file is new or empty, and by `line_end` when the last line has no ending.
    // A new file is created with mode 0600 and its directory fsynced; a symbolic link is refused.
    // An Error when the file cannot be opened, written or fsynced; the file is then back at its old
    // size (best effort).
    Result<AppendOutcome> append(std::string_view lines, std::string_view header_line,
                                 std::string_view line_end = "\n");

    // Makes `text` the whole content, atomically (see above), keeping the mode (and, when
    // permitted, the owner) of the current file; 0600 when there is none. A symbolic link is
    // refused. An Error when the temp file cannot be written or renamed; the original is
    // then untouched and the temp file removed. A failing fsync of the directory after the rename
    // is only logged: the new text is in place by then.
    Result<void> replace(std::string_view text);

    // Cuts the file back to its first `size` bytes, durably (the unfinished tail of an append that a
    // kill or a power cut interrupted).
    Result<void> truncate_to(std::uint64_t size);

    // Deletes the temp files an interrupted replace() left beside the file; the number removed.
    std::size_t remove_stale_temp_files() const;

    // The name prefix of this file's temp files (".miscale_backup.csv.tmp-").
    std::string temp_file_prefix() const;

private:
    std::filesystem::path m_path;
    FileSync* m_sync;
};

}  // namespace ble2garmin::fs
