#pragma once
// Reading the whole history of the backups, one row at a time, for `status` and `report`. Nothing is
// written and nothing is kept: each row is handed to a callback and forgotten, so memory does not
// grow with the history (fs/line_reader.hpp reads through a 64 KiB buffer). Lines that are not rows
// (the header, a torn last line, a spreadsheet's blank line) are skipped and counted.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "ble2garmin/result.hpp"

#include "store/miscale/miscale_row.hpp"
#include "store/omron/omron_row.hpp"
#include "store/row_status.hpp"

namespace ble2garmin::store {

// What a miscale_backup.csv row says, in numbers. The composition columns are there only for
// complete rows (uploaded, local); a pending row has the weight and the impedance alone.
struct ScaleHistoryRow {
    RowStatus status = RowStatus::to_import;
    std::int64_t unix_time = 0;
    double weight_kg = 0;
    std::optional<double> bmi;
    std::optional<double> body_fat_percent;
    std::optional<double> muscle_kg;
    std::optional<double> water_percent;
    std::optional<double> visceral_fat;
    std::string account;  // Email User of a complete row (an e-mail or a user's name); empty when pending
};

// What an omron_backup.csv row says.
struct BloodPressureHistoryRow {
    RowStatus status = RowStatus::to_import;
    std::int64_t unix_time = 0;
    int systolic = 0;     // mmHg
    int diastolic = 0;    // mmHg
    int pulse = 0;        // bpm
    std::string account;  // Email User (pending rows name their account too)
};

struct HistoryReadSummary {
    std::size_t rows = 0;
    std::size_t skipped_lines = 0;  // not rows: the header, blank or unreadable lines
    bool exists = false;            // the file was there
};

// Every row of the scale backup at `path`, in file order. A missing file has no rows; an Error when the
// file is a symbolic link, not a regular file, or cannot be read.
Result<HistoryReadSummary> read_scale_history(const std::filesystem::path& path,
                                              const std::function<void(const ScaleHistoryRow&)>& row);

// Every row of the blood-pressure backup at `path`; errors as read_scale_history.
Result<HistoryReadSummary> read_blood_pressure_history(
    const std::filesystem::path& path, const std::function<void(const BloodPressureHistoryRow&)>& row);

// Every row of the scale backup as the store reads it (every field), in file order, for a sink that
// publishes rows after a position (the MQTT sink after an outage); errors as read_scale_history. Rows
// are counted exactly as read_scale_history counts them.
Result<HistoryReadSummary> read_scale_rows(const std::filesystem::path& path,
                                           const std::function<void(const MiscaleRow&)>& row);
// Every row of the blood-pressure backup likewise.
Result<HistoryReadSummary> read_blood_pressure_rows(const std::filesystem::path& path,
                                                    const std::function<void(const OmronRow&)>& row);

}  // namespace ble2garmin::store
