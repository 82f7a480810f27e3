#pragma once
// `ble2garmin report`: one self-contained HTML file with, per user, the weight with its 7-day average
// over the BMI classes, body fat, muscle, water and visceral fat, the blood pressure over the
// category bands of [storage] blood_pressure_category, a table of the last readings with their upload
// status, and every row of the period as a CSV link (a data: URI). Charts are inline SVG drawn here:
// no script, no network, no external file — a Content-Security-Policy in the page says so to the
// browser. The backups are streamed (two passes for the charts, one per user for the CSV link), so
// memory does not grow with the history.

#include <filesystem>
#include <optional>
#include <string>

#include "ble2garmin/config.hpp"
#include "ble2garmin/result.hpp"
#include "ble2garmin/system_time.hpp"

namespace ble2garmin::report {

struct ReportOptions {
    std::filesystem::path output = "report.html";
    std::string user;                 // empty: every configured user
    std::optional<SystemTime> since;  // rows before are left out
    SystemTime now;                   // the "generated" line
};

struct ReportSummary {
    std::size_t users = 0;
    std::size_t scale_rows = 0;
    std::size_t blood_pressure_rows = 0;
    std::size_t bytes = 0;
};

// Writes the report atomically (mode 0600: health data). An Error when `options.user` names no
// configured user, or a backup cannot be read, or the output cannot be written (it is then untouched).
Result<ReportSummary> write_report(const Config& config, const ReportOptions& options);

}  // namespace ble2garmin::report
