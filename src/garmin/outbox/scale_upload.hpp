#pragma once
// One stored scale measurement made ready for Garmin Connect: the weight-scale FIT file of the
// composition recorded for it (shared/spec/garmin-connect.md §6.2). The FIT bytes depend only on the
// stored measurement, so a retried upload sends identical bytes and Garmin answers 409 "Duplicate"
// instead of adding a second weigh-in.

#include <cstdint>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"
#include "ble2garmin/user.hpp"

#include "body/composition.hpp"
#include "store/measurement_store.hpp"

namespace ble2garmin::garmin {

struct ScaleUpload {
    std::int64_t unix_time = 0;  // the row's T
    User user;
    SystemTime measured_at;
    body::Composition composition;
    Bytes fit;
};

// The upload for `pending` (with its user and composition). An Error when it can never be uploaded:
// no composition, or values the FIT file refuses (time before 1990…).
Result<ScaleUpload> prepare_scale_upload(const store::PendingScale& pending);

}  // namespace ble2garmin::garmin
