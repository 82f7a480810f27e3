#pragma once
// One row of omron_backup.csv, export2garmin's backup of blood-pressure readings
// (shared/spec/export2garmin-compat.md §6.2):
//
//   header    Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];SYStolic [mmHg];DIAstolic [mmHg];
//             Heart Rate [bpm];Category;MOV;IHB;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];
//             Difference Time [s]
//   pending   status;T;DD.MM.YYYY;HH:MM;SYS;DIA;BPM;MOV;IHB;email                 10 fields
//   complete  uploaded|local;T;DD.MM.YYYY;HH:MM;SYS;DIA;BPM;Category;MOV;IHB;email;
//             UploadDate;UploadTime;Diff                                           14 fields
//
// The pending row names its Garmin account itself. A `local` row (not for Garmin) has the Category
// and empty upload columns. export2garmin writes this file with Python's csv module, so its lines
// end in "\r\n"; a rewrite keeps every line's own ending.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/reading.hpp"
#include "ble2garmin/result.hpp"

#include "store/row_status.hpp"

namespace ble2garmin::store {

// The header export2garmin writes (exact).
std::string_view omron_header();

// The classification standards of the Category column ([storage] blood_pressure_category).
inline constexpr std::string_view k_category_eu = "eu";  // ESC/ESH 2018 grades
inline constexpr std::string_view k_category_us = "us";  // ACC/AHA 2017 stages

// export2garmin's blood-pressure category (device-omron.md §9.2, first matching rule wins, quirks
// included): Normal, High-Normal, Grade_1, Grade_2 or None.
std::string_view blood_pressure_category(int systolic, int diastolic, std::string_view standard);

// A pending-shape (to_import, failed, unassigned) or complete (uploaded, local) blood-pressure row, as
// written.
struct OmronRow {
    RowStatus status = RowStatus::to_import;
    std::int64_t unix_time = 0;
    int systolic = 0;   // mmHg
    int diastolic = 0;  // mmHg
    int pulse = 0;      // bpm
    std::string email;
    std::vector<std::string> fields;  // all of them, verbatim

    bool complete() const { return fields.size() == 14; }
};

// The row of one line; empty for the header and any line that is not a row.
std::optional<OmronRow> parse_omron_row(std::string_view line);

// The line of a new reading (without line ending): the pending row (`to_import`) for Garmin, or the
// complete `local` row with the category of `standard`. `email` may be empty for a local row.
std::string format_new_omron_row(RowStatus status, std::int64_t unix_time,
                                 const BloodPressureReading& reading, std::string_view email,
                                 std::string_view standard);

// `pending` with another pending status word (to_import → failed), every other field unchanged.
std::string omron_row_with_status(const OmronRow& pending, RowStatus status);

// The uploaded row for `row` (pending or local), uploaded at `uploaded_at` (local date/time columns,
// Difference = uploaded_at − T); a pending row gets the category of `standard`, a local row keeps its own.
std::string make_uploaded_omron_row(const OmronRow& row, SystemTime uploaded_at, std::string_view standard);

}  // namespace ble2garmin::store
