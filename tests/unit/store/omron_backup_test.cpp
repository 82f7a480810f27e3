#include "store/omron_backup.hpp"

#include <gtest/gtest.h>

#include "store_test_support.hpp"
#include "util/time.hpp"

namespace ble2garmin::store {
namespace {

using testing_support::lines_of;
using testing_support::read_text;
using testing_support::ScopedTimeZone;
using testing_support::TempDir;
using testing_support::write_text;

// export2garmin-compat.md §6.2, typed out again so that a wrong constant cannot pass.
const std::string k_header =
    "Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];SYStolic [mmHg];DIAstolic [mmHg];Heart Rate [bpm];"
    "Category;MOV;IHB;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];Difference Time [s]";

TEST(OmronBackup, HeaderIsExport2garminsOwn)
{
    EXPECT_EQ(omron_header(), k_header);
}

TEST(BloodPressureCategory, EuropeanGradesFirstMatchWins)
{
    // device-omron.md §9.2, "eu"
    EXPECT_EQ(blood_pressure_category(118, 82), "Normal");
    EXPECT_EQ(blood_pressure_category(135, 80), "High-Normal");
    EXPECT_EQ(blood_pressure_category(125, 87), "High-Normal");
    EXPECT_EQ(blood_pressure_category(145, 85), "Grade_1");
    EXPECT_EQ(blood_pressure_category(135, 95), "Grade_1");
    EXPECT_EQ(blood_pressure_category(165, 95), "Grade_2");
    EXPECT_EQ(blood_pressure_category(150, 105), "Grade_2");
    EXPECT_EQ(blood_pressure_category(185, 80), "None");
    EXPECT_EQ(blood_pressure_category(135, 87), "None");  // a gap in the rules
}

TEST(BloodPressureCategory, AmericanStagesWithTheirPrecedence)
{
    EXPECT_EQ(blood_pressure_category(115, 75, "us"), "Normal");
    EXPECT_EQ(blood_pressure_category(125, 75, "us"), "High-Normal");
    EXPECT_EQ(blood_pressure_category(135, 70, "us"), "Grade_1");
    EXPECT_EQ(blood_pressure_category(150, 85, "us"), "Grade_1");  // the quirk: diastolic matches first
    EXPECT_EQ(blood_pressure_category(150, 75, "us"), "Grade_2");
}

class OmronBackupFile : public ::testing::Test {
protected:
    TempDir m_dir;
    std::filesystem::path m_path = m_dir / "omron_backup.csv";
};

TEST_F(OmronBackupFile, PendingRowsOldestFirstAndEverythingElseKept)
{
    write_text(m_path,
               k_header +
                   "\n"
                   "to_import;1721231500;17.07.2024;17:51;125;80;70;1;0;b@x\n"
                   "garbage line\n"
                   "uploaded;1721000000;14.07.2024;01:33;120;80;60;Normal;0;0;a@x;14.07.2024;01:35;120\n"
                   "failed;1721231144;17.07.2024;17:45;118;82;65;0;0;a@x\n");
    auto backup = OmronBackup::open(m_path);
    ASSERT_TRUE(backup.ok());
    const auto pending = backup->pending();
    ASSERT_EQ(pending.size(), 2U);
    EXPECT_EQ(pending[0].unix_time, 1721231144);
    EXPECT_EQ(pending[0].status, RowStatus::failed);
    EXPECT_EQ(pending[0].systolic, 118);
    EXPECT_EQ(pending[0].diastolic, 82);
    EXPECT_EQ(pending[0].pulse, 65);
    EXPECT_EQ(pending[0].email, "a@x");
    EXPECT_EQ(pending[1].unix_time, 1721231500);
}

TEST_F(OmronBackupFile, UploadedRowAsExport2garminWritesIt)
{
    ScopedTimeZone zone("Europe/Warsaw");
    write_text(m_path, k_header +
                           "\n"
                           "to_import;1721231144;17.07.2024;17:45;118;82;65;0;1;a@x\n"
                           "garbage line\n"
                           "to_import;1721231500;17.07.2024;17:51;125;80;70;1;0;b@x\n");
    auto backup = OmronBackup::open(m_path);
    ASSERT_TRUE(backup.ok());
    // Uploaded 2024-07-17T16:00:00Z = 18:00 in Warsaw, 856 s after the measurement.
    ASSERT_TRUE(backup->mark_uploaded(1721231144, from_unix_seconds(1721232000)).ok());
    ASSERT_TRUE(backup->mark_failed(1721231500).ok());
    EXPECT_EQ(
        lines_of(read_text(m_path)),
        (std::vector<std::string>{k_header,
                                  "uploaded;1721231144;17.07.2024;17:45;118;82;65;Normal;0;1;a@x;17.07.2024;"
                                  "18:00;856",
                                  "garbage line", "failed;1721231500;17.07.2024;17:51;125;80;70;1;0;b@x"}));
    EXPECT_FALSE(
        backup->mark_uploaded(1721231144, from_unix_seconds(1721232000)).ok());  // not pending any more
    EXPECT_EQ(backup->pending().size(), 1U);
}

TEST_F(OmronBackupFile, AMissingFileIsAnEmptyBackup)
{
    auto backup = OmronBackup::open(m_path);
    ASSERT_TRUE(backup.ok());
    EXPECT_TRUE(backup->pending().empty());
    EXPECT_FALSE(std::filesystem::exists(m_path));
}

}  // namespace
}  // namespace ble2garmin::store
