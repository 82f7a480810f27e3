#pragma once
// measurements.jsonl in the state directory: what ble2garmin knows about a recorded measurement
// that its CSV row cannot hold — the weighing's identity for the duplicate check, the person it
// belongs to and the body composition computed when it was recorded. One JSON object per line:
//
//   {"key":"C8:47:8C:A1:B2:C3|2026-11-21T07:12:03/5500","seen":1763709123,"file":"scale",
//    "row":1763709123,"user":"alice","composition":{"weight":55.0,"bmi":19.5,…}}
//
// key          device address + the module's fingerprint of the weighing ("" for migrated owners)
// seen         when it was received (Unix s): the duplicate window counts from here
// file         "scale" (miscale_backup.csv) or "blood_pressure" (omron_backup.csv)
// row          the Unix time T of its CSV row
// user         the configured user it was recorded for, when any
// composition  the full-precision body composition, for scale rows that wait for Garmin
// source       where the advertisement that completed it was heard ("hci0", "mqtt:bathroom" — the
//              gateway of a hub, "mqtt:data" — the ESP32 feed); absent in lines of earlier versions
// stream, position  for a record read from a device's memory: where it is kept there
//              (device_cursors.hpp folds them into the device's cursors)
//
// Exactly once, by construction: a line is appended (and fsync'ed) BEFORE its CSV row, and a line
// counts only while the CSV holds a row with its time (checked every time the store opens). A crash
// or a full disk between the two writes therefore leaves a line without a row, which is dropped:
// the weighing's next advertisement records it. A row without a line cannot exist. The file is
// compacted when the store opens (lines outside the window whose row no longer waits are dropped),
// so it stays a few lines long whatever the history.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

#include "body/composition.hpp"
#include "fs/csv_file.hpp"

namespace ble2garmin::store {

inline constexpr const char* k_journal_file = "measurements.jsonl";

enum class BackupKind { scale, blood_pressure };

struct JournalEntry {
    std::string key;
    std::int64_t seen = 0;
    BackupKind file = BackupKind::scale;
    std::int64_t row = 0;
    // The row's time is not known (migrated from the duplicate memory of earlier versions): the
    // entry counts for its window without a row check.
    bool row_unknown = false;
    std::string user;
    std::optional<body::Composition> composition;
    std::string source;
    std::string stream;  // empty: not read from a device's memory
    std::int64_t position = 0;
};

// The line for `entry` (with its '\n').
std::string format_journal_entry(const JournalEntry& entry);
// The entry of one line; empty for a torn or unreadable line (a crash in the middle of an append).
std::optional<JournalEntry> parse_journal_entry(std::string_view line);

class MeasurementJournal {
public:
    // Reads `path` (a missing file is empty). An Error when it cannot be read or is a symbolic link.
    static Result<MeasurementJournal> open(std::filesystem::path path,
                                           fs::FileSync& sync = fs::system_file_sync());

    // Appends `entry` durably; an Error (nothing counted) when it cannot be written.
    Result<void> append(const JournalEntry& entry);
    // Rewrites the file with only `keep` (atomically); an Error leaves the old file.
    Result<void> rewrite(const std::vector<JournalEntry>& keep);

    // The entries read at open, in file order.
    const std::vector<JournalEntry>& entries_at_open() const { return m_entries; }
    std::vector<JournalEntry> take_entries_at_open() { return std::move(m_entries); }
    const std::filesystem::path& path() const { return m_file.path(); }

private:
    explicit MeasurementJournal(fs::CsvFile file) : m_file(std::move(file)) {}

    fs::CsvFile m_file;
    std::vector<JournalEntry> m_entries;
};

}  // namespace ble2garmin::store
