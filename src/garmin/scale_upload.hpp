#pragma once
// One pending backup row made ready for Garmin Connect: its owner, the body composition computed
// for the measurement date, and the weight-scale FIT file (shared/spec/garmin-connect.md §6.2).
// The FIT bytes depend only on the row and the user, so a retried upload sends identical bytes and
// Garmin answers 409 "Duplicate" instead of adding a second weigh-in.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"
#include "ble2garmin/user.hpp"

#include "body/composition.hpp"
#include "store/miscale_row.hpp"
#include "store/row_owners.hpp"

namespace ble2garmin::garmin {

struct ScaleUpload {
    std::int64_t unix_time = 0;  // the row's T
    User user;
    SystemTime measured_at;
    body::Composition composition;
    Bytes fit;
};

// The user a pending row belongs to: the one recorded in the owners file when that name is still
// configured, else the weight-range rule (rows written by export2garmin). nullopt when nobody fits.
std::optional<User> owner_of_row(const store::MiscaleRow& row, const store::RowOwners& owners,
                                 std::span<const User> users);

// The upload for `row` (to_import or failed) of `user`. An Error when it can never be uploaded:
// values the formulas or the FIT file refuse (weight 0, height out of range, time before 1998…).
Result<ScaleUpload> prepare_scale_upload(const store::MiscaleRow& row, const User& user);

}  // namespace ble2garmin::garmin
