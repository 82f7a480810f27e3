#pragma once
// The "uploaded" row that replaces a pending row once its measurement reached Garmin Connect
// (shared/spec/export2garmin-compat.md §6.1, §8; number formats body-composition.md §5).

#include <optional>
#include <string>
#include <string_view>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

#include "body/composition.hpp"
#include "store/miscale/miscale_row.hpp"

namespace ble2garmin::store {

struct UploadedScale {
    body::Composition composition;  // full precision; rounded only here
    std::string email;              // the user's Garmin account
    SystemTime measured_at;         // the Date/Time columns (host time zone); normally the row's T
    SystemTime uploaded_at;         // the Upload Date/Time columns; Difference Time = this − T
};

// Change [kg]: `weight` − `previous_weight` in tenths, "0.0" without a previous weight. Both are
// CSV texts; the arithmetic is done on tenths so that it is exact like upstream's `bc`
// ("-0.5", not "-.5" or "-0.49999"). A previous weight that is not a number counts as none.
std::string format_change(std::string_view weight, std::optional<std::string_view> previous_weight);

// The uploaded row for `pending`:
//   uploaded;T;DD.MM.YYYY;HH:MM;W;Change;BMI;Fat;Muscle;Bone;Water;Physique;Visceral;MetAge;BMR;
//   LBM;Ideal;to_gain:x.x|to_lose:x.x;Protein;Z;email;UploadDate;UploadTime;Diff[;extras of pending]
// `previous_weight` is the weight text of the user's most recent earlier uploaded row (§8 as
// re-implemented). A composition without impedance (weight only) leaves Fat, Muscle, Bone, Water,
// Physique, MetAge, LBM, FatMassToIdeal and Protein empty — the column count stays what export2garmin
// expects and nothing invented is written; Z then keeps the pending row's impedance text.
// An Error when `pending` is not to_import/failed or the email is empty or contains ';' or a line break.
Result<MiscaleRow> make_uploaded_row(const MiscaleRow& pending, const UploadedScale& data,
                                     std::optional<std::string_view> previous_weight);

// The `local` row for a new pending-shape row that is not for Garmin: the same columns as the
// uploaded row, Email User = `owner` (the user's garmin_email, or the user's name without one), the
// Upload Date/Time/Difference columns empty. An Error when `owner` is empty or not writable.
Result<MiscaleRow> make_local_row(const MiscaleRow& pending, const body::Composition& composition,
                                  std::string_view owner, SystemTime measured_at,
                                  std::optional<std::string_view> previous_weight);

// A `local` row sent to Garmin later (`upload --include-local`): status uploaded and the upload
// columns filled, every other field unchanged. An Error for any other row.
Result<MiscaleRow> mark_local_row_uploaded(const MiscaleRow& local, SystemTime uploaded_at);

// The composition written in a complete row (1-decimal values as stored), for uploading a `local`
// row; empty when a weight-based column is missing or the row is not in the complete layout.
std::optional<body::Composition> composition_of_complete_row(const MiscaleRow& row);

}  // namespace ble2garmin::store
