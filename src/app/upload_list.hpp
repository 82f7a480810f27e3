#pragma once
// `ble2garmin upload --list`: every row that waits for Garmin and what holds it (next in line, its
// account waits, parked and why, not for Garmin), and each account's wait. Read-only.

#include <ostream>

#include "ble2garmin/system_time.hpp"

#include "garmin/outbox/outbox_schedule.hpp"
#include "store/measurement_store.hpp"

namespace ble2garmin::app {

// Writes the list at `now`. `store` may be null (the daemon holds the backups): then the
// parked rows come from the schedule alone, by time.
void write_upload_list(const garmin::OutboxSchedule& schedule, const store::MeasurementStore* store,
                       SystemTime now, std::ostream& out);

}  // namespace ble2garmin::app
