#include "pipeline/measurement_time.hpp"

#include <cstdlib>

namespace ble2garmin::pipeline {

MeasurementTime measurement_time(const Reading& reading, const PipelineConfig& config)
{
    if (reading.memory && reading.device_time) {
        // A record downloaded from the device's memory: measured then, whenever it is received.
        return {*reading.device_time, true, 0};
    }
    if (!reading.device_time || config.scale_clock == ScaleClockPolicy::receive) {
        return {reading.received_at, false, 0};
    }
    const SystemTime device = *reading.device_time + std::chrono::seconds(config.scale_clock_offset_seconds);
    const auto skew = std::chrono::duration_cast<std::chrono::seconds>(device - reading.received_at).count();
    if (config.scale_clock == ScaleClockPolicy::scale ||
        std::llabs(skew) <= config.scale_clock_tolerance_seconds) {
        return {device, true, skew};
    }
    return {reading.received_at, false, skew};
}

}  // namespace ble2garmin::pipeline
