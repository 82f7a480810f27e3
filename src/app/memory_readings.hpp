#pragma once
// What a device session downloaded, as Readings for the pipeline: the record's own time (the
// device's local clock, converted with the configured time zone) is the measurement time, its
// stream and position go to the store's cursors, and its fingerprint names it exactly once.

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <tuple>

#include "ble2garmin/device_session.hpp"
#include "ble2garmin/reading.hpp"

namespace ble2garmin::app {

// The reading of `record`, downloaded from `address` through `adapter` at `received_at`; an Error
// when the record's time does not exist in the local zone's calendar.
Result<Reading> memory_reading(const std::string& module, const std::string& address,
                               const std::string& adapter, const MemoryRecord& record,
                               SystemTime received_at);

// (Unix Time, systolic, diastolic, pulse) of every row of `omron_csv` (missing file: none). A
// cuff's first session checks its records against them: rows export2garmin downloaded before the
// switch are not stored a second time (export2garmin's own merge compares the Unix Time).
using StoredPressure = std::tuple<std::int64_t, int, int, int>;
std::set<StoredPressure> stored_blood_pressure(const std::filesystem::path& omron_csv);

// The local wall-clock time of `time` (for a device clock sync).
DeviceDateTime local_date_time(SystemTime time);

}  // namespace ble2garmin::app
