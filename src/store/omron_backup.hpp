#pragma once
// omron_backup.csv, export2garmin's backup of blood-pressure readings
// (shared/spec/export2garmin-compat.md §6.2):
//
//   header    Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];SYStolic [mmHg];DIAstolic [mmHg];
//             Heart Rate [bpm];Category;MOV;IHB;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];
//             Difference Time [s]
//   pending   status;T;DD.MM.YYYY;HH:MM;SYS;DIA;BPM;MOV;IHB;email                 10 fields
//   uploaded  uploaded;T;DD.MM.YYYY;HH:MM;SYS;DIA;BPM;Category;MOV;IHB;email;
//             UploadDate;UploadTime;Diff                                           14 fields
//
// The pending row names its Garmin account itself. Every line that is not such a row stays where
// it is, byte for byte; status changes rewrite the file atomically (CsvFile::replace). Rows are
// addressed by their Unix time. Not thread-safe: one owner per file.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

#include "store/csv_file.hpp"
#include "store/row_status.hpp"

namespace ble2garmin::store {

// The header export2garmin writes (exact).
std::string_view omron_header();

// A pending blood-pressure row, as written.
struct OmronPendingRow {
    RowStatus status = RowStatus::to_import;
    std::int64_t unix_time = 0;
    int systolic = 0;   // mmHg
    int diastolic = 0;  // mmHg
    int pulse = 0;      // bpm
    std::string email;
    std::vector<std::string> fields;  // all ten, verbatim
};

// export2garmin's blood-pressure category ("eu" ESC/ESH 2018 grades or "us" ACC/AHA 2017 stages,
// device-omron.md §9.2, first matching rule wins): Normal, High-Normal, Grade_1, Grade_2 or None.
std::string_view blood_pressure_category(int systolic, int diastolic, std::string_view standard = "eu");

// The uploaded row for `pending`, uploaded at `uploaded_at` (local date/time columns, Difference =
// uploaded_at − T).
std::string make_uploaded_omron_row(const OmronPendingRow& pending, SystemTime uploaded_at,
                                    std::string_view standard = "eu");

class OmronBackup {
public:
    // Reads `path` when it exists (a missing file is an empty backup). An Error when it cannot be read.
    static Result<OmronBackup> open(std::filesystem::path path);

    // The to_import and failed rows, oldest first (file order on equal times).
    std::vector<OmronPendingRow> pending() const;
    // to_import -> failed for the row with `unix_time`; a failed row stays as it is.
    Result<void> mark_failed(std::int64_t unix_time);
    // Replaces the pending row with `unix_time` by its uploaded row.
    Result<void> mark_uploaded(std::int64_t unix_time, SystemTime uploaded_at);

private:
    explicit OmronBackup(CsvFile file) : m_file(std::move(file)) {}
    std::optional<std::size_t> find_pending(std::int64_t unix_time) const;
    Result<void> replace_line(std::size_t index, std::string line);

    CsvFile m_file;
    std::vector<std::string> m_lines;  // the whole file, header included, without line endings
};

}  // namespace ble2garmin::store
