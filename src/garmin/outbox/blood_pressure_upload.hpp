#pragma once
// One pending omron_backup.csv row made ready for Garmin Connect: the JSON of the blood-pressure
// post (shared/spec/garmin-connect.md §6.3),
//
//   {"measurementTimestampLocal":"2024-01-15T08:30:00.000","measurementTimestampGMT":
//    "2024-01-15T07:30:00.000","systolic":120,"diastolic":80,"pulse":60,"sourceType":"MANUAL","notes":""}
//
// Local = the wall clock of the measurement in the configured time zone, GMT = the same instant in
// UTC, both without a zone suffix, milliseconds always .000. Garmin validates the ranges below and
// refuses anything else, so such a row is refused here already (never "fixed" with invented values).

#include <cstdint>
#include <string>

#include "ble2garmin/result.hpp"

#include "store/omron/omron_row.hpp"

namespace ble2garmin::garmin {

inline constexpr int k_min_systolic = 70;
inline constexpr int k_max_systolic = 260;
inline constexpr int k_min_diastolic = 40;
inline constexpr int k_max_diastolic = 150;
inline constexpr int k_min_pulse = 20;
inline constexpr int k_max_pulse = 250;

struct BloodPressureUpload {
    std::int64_t unix_time = 0;  // the row's T
    int systolic = 0;
    int diastolic = 0;
    int pulse = 0;
    std::string json;
};

// The upload for `row`; an Error when a value is outside Garmin's ranges.
Result<BloodPressureUpload> prepare_blood_pressure_upload(const store::OmronRow& row);

}  // namespace ble2garmin::garmin
