#pragma once
// One data row of miscale_backup.csv (shared/spec/export2garmin-compat.md §6.1, §7):
//
//   pending   status;T;W;Z[;extras]                              4, 6 or 8 fields
//   uploaded  uploaded;T;DD.MM.YYYY;HH:MM;W;Change;BMI;Fat;Muscle;Bone;Water;Physique;Visceral;
//             MetAge;BMR;LBM;Ideal;to_gain:x.x|to_lose:x.x;Protein;Z;email;UploadDate;UploadTime;
//             Diff[;extras]                                      24, 26 or 28 fields
//   legacy    uploaded row of export2garmin before v3 (export2garmin#27): the same without
//             BMR, LBM, Ideal, FatMassToIdeal and Protein      19, 21 or 23 fields
//
// T is the Unix time of the measurement, W kg with 1 decimal, Z Ω with 0 decimals. The extras are
// the raw device fields export2garmin copies to the end of the row: "batV;bat%" (ESP32 via MQTT)
// and/or "Z250k;HR" (S400). A row keeps every field as read, so writing it back is lossless.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/result.hpp"

#include "store/miscale/miscale_header.hpp"
#include "store/row_status.hpp"

namespace ble2garmin::store {

enum class RowLayout { pending, uploaded, uploaded_legacy };

class MiscaleRow {
public:
    // The row for one line (without its line ending); an Error saying why the line is unreadable:
    // unknown status, a field count that fits no layout, a Unix time or weight that is not a number.
    static Result<MiscaleRow> parse(std::string_view line);

    RowStatus status() const { return m_status; }
    RowLayout layout() const { return m_layout; }
    std::int64_t unix_time() const { return m_unix_time; }
    double weight_kg() const { return m_weight_kg; }
    // The weight as written ("55.2"); the Change column is computed from this text.
    const std::string& weight_text() const;
    // Empty when the field is empty (ble2garmin writes no impedance for weight-only readings) or
    // not an integer.
    std::optional<int> impedance_ohm() const;
    // The "Email User" field of uploaded rows; empty for pending rows.
    std::optional<std::string_view> email() const;
    // The raw device fields after the fixed part, as written.
    std::span<const std::string> extras() const;
    const std::vector<std::string>& fields() const { return m_fields; }
    // The line as it is written to the file, without a line ending.
    std::string text() const;

    // This pending row with another pending status word, every other byte unchanged; an Error for
    // an uploaded row or when `status` is uploaded (use make_uploaded_row).
    Result<MiscaleRow> with_status(RowStatus status) const;

private:
    MiscaleRow() = default;
    std::size_t fixed_field_count() const;

    std::vector<std::string> m_fields;
    RowStatus m_status = RowStatus::to_import;
    RowLayout m_layout = RowLayout::pending;
    std::int64_t m_unix_time = 0;
    double m_weight_kg = 0;
};

// A reading to append, before any upload.
struct PendingScaleRow {
    RowStatus status = RowStatus::to_import;  // to_import, or unassigned when no user matched
    std::int64_t unix_time = 0;
    double weight_kg = 0;
    std::optional<int> impedance_ohm;     // empty field when absent
    std::optional<double> battery_volts;  // ESP32 via MQTT
    std::optional<int> battery_percent;
    std::optional<int> impedance_high_ohm;  // S400 250 kHz
    std::optional<int> heart_rate_bpm;      // S400
};

// `status;T;W(1dp);Z(0dp)` plus ";batV(1dp);bat%" when the file has the battery columns and
// ";Z250k;HR" when it has the S400 columns (absent values as empty fields; values for columns the
// file lacks are not written). An Error when the status is uploaded or the weight is not finite.
Result<std::string> format_pending_row(const PendingScaleRow& row, HeaderSuffixes columns);

// The text of any row (the same as row.text()).
std::string format_miscale_row(const MiscaleRow& row);

}  // namespace ble2garmin::store
