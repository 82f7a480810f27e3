#include "pipeline/measurement_time.hpp"

#include <gtest/gtest.h>

namespace ble2garmin::pipeline {
namespace {

using namespace std::chrono_literals;

const SystemTime k_received = SystemTime{} + 1'795'245'123s;

Reading reading_with_clock(std::optional<SystemTime> device_time)
{
    Reading reading;
    reading.received_at = k_received;
    reading.device_time = device_time;
    return reading;
}

TEST(MeasurementTime, AutomaticUsesAPlausibleScaleClock)
{
    PipelineConfig config;  // automatic, tolerance 1200 s
    const auto time = measurement_time(reading_with_clock(k_received - 1200s), config);
    EXPECT_TRUE(time.device_clock_used);
    EXPECT_EQ(time.time, k_received - 1200s);
    EXPECT_EQ(time.device_clock_skew_seconds, -1200);
}

TEST(MeasurementTime, AutomaticFallsBackToReceiveTimeForAWrongClock)
{
    PipelineConfig config;
    const auto time = measurement_time(reading_with_clock(SystemTime{} + 10'681'321s), config);  // 1970
    EXPECT_FALSE(time.device_clock_used);
    EXPECT_EQ(time.time, k_received);
    EXPECT_EQ(time.device_clock_skew_seconds, 10'681'321 - 1'795'245'123);
}

TEST(MeasurementTime, OffsetIsAppliedBeforeTheToleranceCheck)
{
    PipelineConfig config;
    config.scale_clock_offset_seconds = 3600;  // a scale that shows UTC−1
    const auto time = measurement_time(reading_with_clock(k_received - 3600s - 5s), config);
    EXPECT_TRUE(time.device_clock_used);
    EXPECT_EQ(time.time, k_received - 5s);
}

TEST(MeasurementTime, PoliciesScaleAndReceive)
{
    PipelineConfig config;
    config.scale_clock = ScaleClockPolicy::scale;
    EXPECT_EQ(measurement_time(reading_with_clock(SystemTime{} + 5s), config).time, SystemTime{} + 5s);
    config.scale_clock = ScaleClockPolicy::receive;
    EXPECT_EQ(measurement_time(reading_with_clock(k_received - 2s), config).time, k_received);
    config.scale_clock = ScaleClockPolicy::automatic;
    EXPECT_EQ(measurement_time(reading_with_clock(std::nullopt), config).time, k_received);
}

}  // namespace
}  // namespace ble2garmin::pipeline
