#pragma once
// Reading an accepted upload back (garmin-connect.md §6.2–6.4): Garmin answers 202 to a FIT upload
// and processes it later, and has been seen to accept files that never showed up (withings-sync
// #204, export2garmin#27). After an accepted upload the day is read back:
//
//   weigh-in        GET /weight-service/weight/dayview/<local date>?includeAll=true
//                   → dateWeightList[] with timestampGMT (ms) = the measurement time
//   blood pressure  GET /bloodpressure-service/bloodpressure/range/<date>/<date>?includeAll=true
//                   → measurementSummaries[].measurements[] with the same measurementTimestampGMT
//
// Garmin may need a moment to process a FIT file, so a missing weigh-in is looked for a few times,
// a few seconds apart (on the upload thread, never the daemon's loop).

#include <chrono>
#include <optional>
#include <string>

#include "garmin/connect_client.hpp"
#include "garmin/outbox/outbox.hpp"

namespace ble2garmin::garmin {

struct ReadBackOptions {
    int attempts = 3;
    std::chrono::milliseconds pause{3000};
};

// Why `job` cannot be found in Garmin Connect after `options.attempts` reads, or nullopt when it is
// there. A read that itself fails (network, 5xx) says so rather than claiming the upload is missing.
std::optional<std::string> find_upload_problem(ConnectClient& client, const OutboxJob& job,
                                               const ReadBackOptions& options = {});

}  // namespace ble2garmin::garmin
