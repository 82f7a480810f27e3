#pragma once
// The one owner of everything ble2garmin stores: miscale_backup.csv, omron_backup.csv and the
// measurement journal (measurements.jsonl: the duplicate memory, who each row belongs to and the
// body composition computed when it was recorded). The daemon, `replay` and `upload` all go through
// it; sinks ask it for the rows that wait for them and tell it what became of them. One process
// holds a state directory at a time (app/state_lock.hpp).
//
// Memory does not grow with history: the backups are read once at open, line by line, keeping only
// the rows that still wait for an upload, the latest weight of each user (the Change column) and the
// journal's few lines. Status changes are collected and applied in one streaming rewrite
// (flush(): temp file + fsync + rename) that gives back every byte of every line it does not change,
// line endings and byte order mark included.
//
// Exactly once: see measurement_journal.hpp. A measurement is "already recorded" only when the CSV
// holds its row, so no kill point and no failed write between the journal line and the row can give
// a weighing a second row.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ble2garmin/measurement.hpp"
#include "ble2garmin/result.hpp"
#include "ble2garmin/user.hpp"

#include "fs/csv_file.hpp"
#include "store/device_cursors.hpp"
#include "store/measurement_journal.hpp"
#include "store/miscale/miscale_header.hpp"
#include "store/miscale/miscale_row.hpp"
#include "store/omron/omron_row.hpp"

namespace ble2garmin::store {

// Who a row belongs to and its body composition, for rows the journal knows nothing about (written
// by export2garmin or an earlier ble2garmin): `owner` is the user name an earlier version recorded,
// if any. The app supplies the rule (pipeline/stored_rows.hpp), so the store needs no formulas.
struct RowCompletion {
    std::optional<User> user;
    std::optional<body::Composition> composition;
    std::string why_not;  // when composition is empty although a user matched
};
using CompleteRow =
    std::function<RowCompletion(const MiscaleRow& row, const std::optional<std::string>& owner)>;

struct StoreOptions {
    std::filesystem::path state_directory;
    std::filesystem::path scale_csv;           // miscale_backup.csv
    std::filesystem::path blood_pressure_csv;  // omron_backup.csv
    HeaderSuffixes new_scale_columns;          // the optional columns of a new scale file
    std::chrono::seconds duplicate_window{1800};
    std::string blood_pressure_standard{k_category_eu};
    std::vector<User> users;
    CompleteRow complete_row;  // may be empty: such rows then have no user
    // `local` rows wait for Garmin too (`ble2garmin upload --include-local`).
    bool include_local = false;
};

// A scale row that waits for Garmin, with what was recorded about it.
struct PendingScale {
    MiscaleRow row;
    std::optional<User> user;
    std::optional<body::Composition> composition;
    std::string why_incomplete;  // no user or no composition: why (for the log)
};

// The stored measurement's time: a row's T.
using RowTime = std::int64_t;

class MeasurementStore {
public:
    // Opens (and creates, mode 0700) the state directory and reads the backups and the journal; `now`
    // is the end of the duplicate window. An Error when a file is a symbolic link or cannot be read,
    // or the journal cannot be compacted.
    static Result<std::unique_ptr<MeasurementStore>> open(StoreOptions options, SystemTime now,
                                                          fs::FileSync& sync = fs::system_file_sync());
    ~MeasurementStore();
    MeasurementStore(const MeasurementStore&) = delete;
    MeasurementStore& operator=(const MeasurementStore&) = delete;

    // True when the reading with `key` (device address | fingerprint) was recorded within the
    // duplicate window before `received_at`.
    bool already_recorded(const std::string& key, SystemTime received_at) const;

    // Records `measurement` under `key`: its journal line, then its CSV row (both fsync'ed). A scale
    // reading of a user with a composition that is not `for_garmin` gets its complete `local` row at
    // once; one for Garmin gets export2garmin's pending row; one without a user an `unassigned` row.
    // Blood pressure goes to omron_backup.csv likewise. An Error when either write failed: the reading
    // counts as not recorded (try again later), nothing was added to the CSV.
    Result<void> record(const std::string& key, const Measurement& measurement, bool for_garmin);

    // How far the memories of `device` are stored, by stream (device_cursors.hpp): the newest
    // position recorded, which the next session of that device need not read again.
    std::map<std::string, std::int64_t> device_cursors(const std::string& device) const
    {
        return m_cursors ? m_cursors->of(device) : std::map<std::string, std::int64_t>{};
    }

    // The scale rows that wait for Garmin (to_import, failed; local with include_local), oldest first.
    const std::vector<PendingScale>& pending_scale() const { return m_pending_scale; }
    // The blood-pressure rows that wait for Garmin, oldest first.
    const std::vector<OmronRow>& pending_blood_pressure() const { return m_pending_blood_pressure; }

    // to_import → failed for the waiting row with `row` (a failed or local row stays as it is).
    // Takes effect in memory at once and on disk at the next flush().
    void mark_failed(BackupKind kind, RowTime row);
    // The waiting row becomes `uploaded` for `email` at `uploaded_at`: export2garmin's uploaded row
    // with the composition recorded for it. In memory at once (the row no longer waits), on disk at
    // the next flush(). An Error when no such row waits or it has no composition.
    Result<void> mark_uploaded(BackupKind kind, RowTime row, const std::string& email,
                               SystemTime uploaded_at);

    // Applies every status change since the last flush in one streaming rewrite per file. An Error
    // when a rewrite failed: the changes stay queued for the next flush (the files are unchanged).
    Result<void> flush();
    // Status changes not yet on disk.
    std::size_t unwritten_changes() const;

    // Rows read at open that are not rows (kept verbatim), over both backups.
    std::size_t unreadable_lines() const { return m_unreadable_lines; }
    HeaderSuffixes scale_columns() const { return m_scale.columns; }
    const StoreOptions& options() const { return m_options; }

private:
    // One backup file as the store sees it after reading it.
    struct Backup {
        explicit Backup(fs::CsvFile backup_file) : file(std::move(backup_file)) {}
        fs::CsvFile file;
        std::string line_ending = "\n";  // the file's own (of its first line)
        bool empty = true;               // no content yet: the header goes first
        HeaderSuffixes columns;          // scale file only
    };
    struct Change {
        RowStatus status = RowStatus::failed;  // failed or uploaded
        std::string email;
        SystemTime uploaded_at;
        std::optional<body::Composition> composition;  // scale: the row's
        SystemTime measured_at;
    };

    MeasurementStore(StoreOptions options, Backup scale, Backup blood_pressure, MeasurementJournal journal);

    Result<void> read_scale_file(std::unordered_map<RowTime, bool>& rows_seen);
    Result<void> read_blood_pressure_file(std::unordered_map<RowTime, bool>& rows_seen);
    // Cuts the unfinished last line found at `torn_at` (see is_torn_tail) off `backup`.
    Result<void> cut_torn_tail(Backup& backup, std::optional<std::uint64_t> torn_at);
    // Logs the count of a file's unreadable lines beyond the ones named, and adds them up.
    void note_unreadable(const Backup& backup, std::size_t unreadable);
    // Rewrites the journal when anything was dropped or `must_rewrite` (entries not in the file yet).
    Result<void> settle_journal(std::vector<JournalEntry> entries, SystemTime now, bool must_rewrite);
    void attach_recorded(PendingScale& pending, const JournalEntry* entry);
    Result<void> record_scale(const std::string& key, const Measurement& measurement, bool for_garmin);
    Result<void> record_blood_pressure(const std::string& key, const Measurement& measurement,
                                       bool for_garmin);
    Result<void> append_row(Backup& backup, std::string_view header, const std::string& row_text);
    Result<void> flush_scale();
    Result<void> flush_blood_pressure();
    void remember(const JournalEntry& entry);

    StoreOptions m_options;
    Backup m_scale;
    Backup m_blood_pressure;
    MeasurementJournal m_journal;
    std::unordered_map<std::string, SystemTime> m_seen;  // key → when it was received
    // The Change column's reference: each Email User's latest complete row (T, weight text).
    std::unordered_map<std::string, std::pair<RowTime, std::string>> m_latest_weight;
    std::vector<PendingScale> m_pending_scale;
    std::vector<OmronRow> m_pending_blood_pressure;
    std::map<RowTime, Change> m_scale_changes;
    std::map<RowTime, Change> m_blood_pressure_changes;
    std::size_t m_unreadable_lines = 0;
    std::optional<DeviceCursors> m_cursors;
};

}  // namespace ble2garmin::store
