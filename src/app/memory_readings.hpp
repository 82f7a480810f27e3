#pragma once
// What a device session downloaded, as Readings for the pipeline: the record's own time (the
// device's local clock, converted with the configured time zone) is the measurement time, its
// stream and position go to the store's cursors, and its fingerprint names it exactly once.

#include <string>

#include "ble2garmin/device_session.hpp"
#include "ble2garmin/reading.hpp"

namespace ble2garmin::app {

// The reading of `record`, downloaded from `address` through `adapter` at `received_at`; an Error
// when the record's time does not exist in the local zone's calendar.
Result<Reading> memory_reading(const std::string& module, const std::string& address,
                               const std::string& adapter, const MemoryRecord& record,
                               SystemTime received_at);

// The local wall-clock time of `time` (for a device clock sync).
DeviceDateTime local_date_time(SystemTime time);

}  // namespace ble2garmin::app
