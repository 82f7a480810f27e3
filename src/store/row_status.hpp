#pragma once
// The "Data Status" column shared by miscale_backup.csv and omron_backup.csv.

#include <optional>
#include <string_view>

namespace ble2garmin::store {

// export2garmin: to_import -> uploaded | failed, failed -> uploaded | failed
// (shared/spec/export2garmin-compat.md §7). `unassigned` is ble2garmin's own: a reading that no
// user's weight range matched, kept instead of deleted; export2garmin only picks up rows whose status
// is to_import or failed, so it leaves these alone. `local` is ble2garmin's too: a measurement that is
// not for Garmin (uploads off, or a user without garmin_email), stored complete — every computed
// column, the Upload Date/Time/Difference columns empty — in the uploaded row's layout
// (docs/migrating-from-export2garmin.md, "Row statuses"); `ble2garmin upload --include-local` sends
// such rows once Garmin is set up.
enum class RowStatus { to_import, failed, uploaded, unassigned, local };

// The word written in the CSV ("to_import", …).
std::string_view status_word(RowStatus status);

// The status for a CSV word (exact, case-sensitive); empty for any other text.
std::optional<RowStatus> parse_status(std::string_view word);

// True for the statuses whose row still waits for an upload (to_import, failed).
bool is_pending(RowStatus status);

// True for the statuses of rows with every computed column (uploaded, local).
bool is_complete(RowStatus status);

}  // namespace ble2garmin::store
