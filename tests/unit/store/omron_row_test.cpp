// omron_backup.csv rows and the Category column (shared/spec/export2garmin-compat.md §6.2,
// device-omron.md §9.2).

#include "store/omron/omron_row.hpp"

#include <gtest/gtest.h>

#include "store_test_support.hpp"
#include "util/time.hpp"

namespace ble2garmin::store {
namespace {

TEST(BloodPressureCategory, FollowsExport2garminsTablesQuirksIncluded)
{
    const struct {
        int sys;
        int dia;
        const char* eu;
        const char* us;
    } cases[] = {
        {118, 76, "Normal", "Normal"},
        {125, 78, "Normal", "High-Normal"},  // eu: < 130/85; us: 120–129 with dia < 80
        {135, 80, "High-Normal", "Grade_1"},
        {128, 87, "High-Normal", "Grade_1"},  // eu: sys < 130 with dia 85–89
        {135, 87, "None", "Grade_1"},         // eu's gap: neither rule holds
        {150, 85, "Grade_1", "Grade_1"},      // us quirk: dia 80–89 matches Grade_1 before Grade_2
        {150, 95, "None",
         "Grade_2"},  // eu: both values in grade 1 match no rule (the table wants the other one lower)
        {165, 95, "Grade_2", "Grade_2"},
        {185, 95, "None", "Grade_2"},  // eu has no grade 3
    };
    for (const auto& c : cases) {
        EXPECT_EQ(blood_pressure_category(c.sys, c.dia, k_category_eu), c.eu) << c.sys << "/" << c.dia;
        EXPECT_EQ(blood_pressure_category(c.sys, c.dia, k_category_us), c.us) << c.sys << "/" << c.dia;
    }
}

TEST(OmronRow, ReadsPendingAndCompleteRowsAndRejectsTheRest)
{
    const auto pending = parse_omron_row("to_import;1721076654;15.07.2024;20:50;135;80;70;0;1;a@example.com");
    ASSERT_TRUE(pending);
    EXPECT_EQ(pending->status, RowStatus::to_import);
    EXPECT_EQ(pending->unix_time, 1721076654);
    EXPECT_EQ(pending->systolic, 135);
    EXPECT_EQ(pending->diastolic, 80);
    EXPECT_EQ(pending->pulse, 70);
    EXPECT_EQ(pending->email, "a@example.com");
    EXPECT_FALSE(pending->complete());
    const auto uploaded = parse_omron_row(
        "uploaded;1721000000;15.07.2024;00:00;118;76;61;Normal;0;0;a@example.com;15.07.2024;00:05;300");
    ASSERT_TRUE(uploaded);
    EXPECT_TRUE(uploaded->complete());
    EXPECT_EQ(uploaded->email, "a@example.com");
    for (const char* line : {"Data Status;Unix Time;Date [dd.mm.yyyy]", "", "to_import;1721076654;135;80",
                             "to_import;x;15.07.2024;20:50;135;80;70;0;1;a@example.com",
                             "to_import;10721076654;15.07.2024;20:50;135;80;70;0;1;a@example.com",
                             "to_import;1721076654;15.07.2024;20:50;-5;80;70;0;1;a@example.com"}) {
        EXPECT_FALSE(parse_omron_row(line)) << line;
    }
}

TEST(OmronRow, AnUploadedRowGetsTheCategoryAndTheUploadColumns)
{
    const testing_support::ScopedTimeZone utc("UTC");
    const auto pending = parse_omron_row("failed;1721076654;15.07.2024;20:50;150;85;70;0;1;a@example.com");
    ASSERT_TRUE(pending);
    // Uploaded at 1721100000 = 16.07.2024 03:20 UTC; Difference = 1721100000 − 1721076654.
    EXPECT_EQ(
        make_uploaded_omron_row(*pending, from_unix_seconds(1'721'100'000), k_category_us),
        "uploaded;1721076654;15.07.2024;20:50;150;85;70;Grade_1;0;1;a@example.com;16.07.2024;03:20;23346");
    EXPECT_EQ(omron_row_with_status(*pending, RowStatus::failed),
              "failed;1721076654;15.07.2024;20:50;150;85;70;0;1;a@example.com");
}

}  // namespace
}  // namespace ble2garmin::store
