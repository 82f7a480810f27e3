#pragma once
// When a reading was taken. Scales keep their own clock, set in UTC by the vendor app and often
// wrong (1970 after a battery change; shared/spec/device-mi-scale.md §4). export2garmin drops a
// reading whose clock is off by more than miscale_time_unsync; we keep it and use the receive time.

#include "ble2garmin/config.hpp"
#include "ble2garmin/reading.hpp"

namespace ble2garmin::pipeline {

struct MeasurementTime {
    SystemTime time;
    bool device_clock_used = false;
    // Seconds the device clock (with offset) differs from the receive time; 0 without a device clock.
    long long device_clock_skew_seconds = 0;
};

MeasurementTime measurement_time(const Reading& reading, const PipelineConfig& config);

}  // namespace ble2garmin::pipeline
