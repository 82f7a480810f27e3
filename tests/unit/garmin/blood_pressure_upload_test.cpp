#include "garmin/outbox/blood_pressure_upload.hpp"

#include <gtest/gtest.h>

#include "../store/store_test_support.hpp"

namespace ble2garmin::garmin {
namespace {

store::OmronRow row(std::int64_t time, int sys, int dia, int pulse)
{
    store::OmronRow r;
    r.unix_time = time;
    r.systolic = sys;
    r.diastolic = dia;
    r.pulse = pulse;
    r.email = "a@x";
    return r;
}

TEST(BloodPressureUpload, JsonHasLocalAndGmtTimesWithoutZone)
{
    store::testing_support::ScopedTimeZone zone("Europe/Warsaw");
    // 1721231144 = 2024-07-17T15:45:44Z = 17:45:44 CEST (garmin-connect.md §6.3 shape).
    auto upload = prepare_blood_pressure_upload(row(1721231144, 118, 82, 65));
    ASSERT_TRUE(upload.ok());
    EXPECT_EQ(
        upload->json,
        R"({"measurementTimestampLocal":"2024-07-17T17:45:44.000","measurementTimestampGMT":)"
        R"("2024-07-17T15:45:44.000","systolic":118,"diastolic":82,"pulse":65,"sourceType":"MANUAL","notes":""})");
}

TEST(BloodPressureUpload, GarminsRangesAreCheckedNothingIsInvented)
{
    EXPECT_TRUE(prepare_blood_pressure_upload(row(1, 70, 40, 20)).ok());
    EXPECT_TRUE(prepare_blood_pressure_upload(row(1, 260, 150, 250)).ok());
    EXPECT_FALSE(prepare_blood_pressure_upload(row(1, 69, 80, 60)).ok());
    EXPECT_FALSE(prepare_blood_pressure_upload(row(1, 261, 80, 60)).ok());
    EXPECT_FALSE(prepare_blood_pressure_upload(row(1, 120, 39, 60)).ok());
    EXPECT_FALSE(prepare_blood_pressure_upload(row(1, 120, 151, 60)).ok());
    // export2garmin's S400 heart-rate entry, 40/30: refused.
    EXPECT_FALSE(prepare_blood_pressure_upload(row(1, 40, 30, 80)).ok());
    EXPECT_FALSE(prepare_blood_pressure_upload(row(1, 120, 80, 19)).ok());
    EXPECT_FALSE(prepare_blood_pressure_upload(row(1, 120, 80, 251)).ok());
}

}  // namespace
}  // namespace ble2garmin::garmin
