#pragma once
// miscale_backup.csv, the export2garmin-compatible backup of every scale reading
// (shared/spec/export2garmin-compat.md §6.1, §7, §8). Every reading is appended as a pending row
// before any network sink sees it; an upload later turns the row into an "uploaded" row.
//
// Unlike export2garmin's text substitutions, a status change rewrites the whole file atomically
// (CsvFile::replace) and touches only the one row; lines ble2garmin cannot parse stay where they are,
// byte for byte. Rows are addressed by their Unix time: the first row in file order with that time
// and a fitting status is changed (the pipeline deduplicates readings, so times are unique in
// practice). Not thread-safe: one owner per file.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "ble2garmin/result.hpp"

#include "store/csv_file.hpp"
#include "store/miscale_csv.hpp"
#include "store/miscale_header.hpp"
#include "store/miscale_row.hpp"
#include "store/miscale_uploaded_row.hpp"
#include "store/row_status.hpp"

namespace ble2garmin::store {

class MiscaleBackup {
public:
    // Reads `path` when it exists (creating nothing yet), logs each unreadable line once, and
    // removes temp files left by an interrupted rewrite. `for_new_file` chooses the optional columns
    // when the file is missing or empty (or has no header); an existing header wins otherwise.
    // An Error when the file exists but cannot be read.
    static Result<MiscaleBackup> open(std::filesystem::path path, HeaderSuffixes for_new_file,
                                      FileSync& sync = system_file_sync());

    // Appends `row` (status to_import or unassigned) with the header first when the file is new or
    // empty; the row's extra fields follow the file's columns. An Error when the row is invalid or
    // the append failed, and then nothing was added.
    Result<void> append_pending(const PendingScaleRow& row);

    // to_import -> failed for the row with `unix_time` (a failed row stays failed, without a
    // rewrite). An Error when there is no to_import or failed row with that time or the rewrite failed.
    Result<void> mark_failed(std::int64_t unix_time);

    // Changes the status of the pending or unassigned row with `unix_time` to to_import, failed or
    // unassigned (e.g. unassigned -> to_import once a user's weight range matches it). An Error for
    // `uploaded` (see mark_uploaded), when no such row exists or the rewrite failed.
    Result<void> set_status(std::int64_t unix_time, RowStatus status);

    // Replaces the to_import or failed row with `unix_time` by its uploaded row (make_uploaded_row),
    // Change computed against the user's previous uploaded row. An Error when there is no such row,
    // the data cannot be written, or the rewrite failed.
    Result<void> mark_uploaded(std::int64_t unix_time, const UploadedScale& data);

    // All rows in file order.
    const std::vector<MiscaleRow>& rows() const { return m_csv.rows; }
    // The to_import and failed rows, oldest Unix time first (file order on equal times).
    std::vector<MiscaleRow> pending() const;
    // Lines kept verbatim because they are not rows, with their line numbers.
    const std::vector<UnreadableLine>& unreadable_lines() const { return m_csv.unreadable; }
    // The optional columns of the rows this backup writes.
    HeaderSuffixes suffixes() const { return m_suffixes; }
    const std::filesystem::path& path() const { return m_file.path(); }

private:
    MiscaleBackup(CsvFile file, MiscaleCsv csv, HeaderSuffixes suffixes);

    // The index of the first row with `unix_time` whose status `accepts`; empty when there is none.
    template <class Accepts>
    std::optional<std::size_t> find_row(std::int64_t unix_time, Accepts accepts) const;
    // Writes `updated` over the file and adopts it once the rename succeeded.
    Result<void> rewrite(MiscaleCsv updated);

    CsvFile m_file;
    MiscaleCsv m_csv;
    HeaderSuffixes m_suffixes;
};

}  // namespace ble2garmin::store
