// store/history: the streaming readers of the backups and whose each row is; store/lock_holder: the
// lock's holder read from /proc/locks lines.

#include <fstream>

#include <gtest/gtest.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "pipeline/store_setup.hpp"
#include "store/history/history_rows.hpp"
#include "store/history/row_owners.hpp"
#include "store/lock_holder.hpp"
#include "store/state_lock.hpp"
#include "tests/unit/temp_dir.hpp"

namespace ble2garmin::store {
namespace {

using testing_support::TempDir;

void write(const std::filesystem::path& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

User user(std::string name, std::string email, double low, double high)
{
    User person;
    person.name = std::move(name);
    person.garmin_email = std::move(email);
    person.min_weight_kg = low;
    person.max_weight_kg = high;
    return person;
}

TEST(ScaleHistory, ReadsEveryLayoutAndSkipsWhatIsNotARow)
{
    TempDir dir;
    const auto path = dir.path() / "miscale_backup.csv";
    // Header, a complete row (export2garmin's 24 columns), a pending row, a blank line, a torn line.
    write(path,
          "Data Status;Unix Time;Date [dd.mm.yyyy]\n"
          "uploaded;1700000000;14.11.2023;22:13;55.2;0.0;18.7;20.1;41.2;2.9;55.3;5;3;30;1400;44.1;60.0;"
          "to_gain:1.0;18.5;508;adam@example.com;14.11.2023;22:14;60\r\n"
          "to_import;1700086400;55.4;510\n"
          "\n"
          "to_import;17000");
    std::vector<ScaleHistoryRow> rows;
    auto summary = read_scale_history(path, [&](const ScaleHistoryRow& row) { rows.push_back(row); });
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->rows, 2U);
    EXPECT_EQ(summary->skipped_lines, 3U);
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].status, RowStatus::uploaded);
    EXPECT_EQ(rows[0].unix_time, 1700000000);
    EXPECT_DOUBLE_EQ(rows[0].weight_kg, 55.2);
    EXPECT_EQ(rows[0].bmi, 18.7);
    EXPECT_EQ(rows[0].body_fat_percent, 20.1);
    EXPECT_EQ(rows[0].muscle_kg, 41.2);
    EXPECT_EQ(rows[0].water_percent, 55.3);
    EXPECT_EQ(rows[0].visceral_fat, 3.0);
    EXPECT_EQ(rows[0].account, "adam@example.com");
    EXPECT_EQ(rows[1].status, RowStatus::to_import);
    EXPECT_DOUBLE_EQ(rows[1].weight_kg, 55.4);
    EXPECT_FALSE(rows[1].bmi);
    EXPECT_EQ(rows[1].account, "");
}

TEST(ScaleHistory, MissingFileHasNoRowsAndLinkIsRefused)
{
    TempDir dir;
    auto missing = read_scale_history(dir.path() / "none.csv", [](const ScaleHistoryRow&) { FAIL(); });
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing->exists);
    write(dir.path() / "real.csv", "to_import;1700086400;55.4;510\n");
    std::filesystem::create_symlink(dir.path() / "real.csv", dir.path() / "link.csv");
    EXPECT_FALSE(read_scale_history(dir.path() / "link.csv", [](const ScaleHistoryRow&) {}));
}

TEST(BloodPressureHistory, ReadsPendingAndCompleteRows)
{
    TempDir dir;
    const auto path = dir.path() / "omron_backup.csv";
    write(
        path,
        "to_import;1700000000;14.11.2023;22:13;128;84;66;0;0;eve@example.com\r\n"
        "uploaded;1700086400;15.11.2023;22:13;141;91;70;Grade_1;0;1;eve@example.com;15.11.2023;22:14;60\r\n");
    std::vector<BloodPressureHistoryRow> rows;
    ASSERT_TRUE(
        read_blood_pressure_history(path, [&](const BloodPressureHistoryRow& row) { rows.push_back(row); }));
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].systolic, 128);
    EXPECT_EQ(rows[0].diastolic, 84);
    EXPECT_EQ(rows[0].pulse, 66);
    EXPECT_EQ(rows[0].account, "eve@example.com");
    EXPECT_EQ(rows[1].status, RowStatus::uploaded);
    EXPECT_EQ(rows[1].systolic, 141);
}

TEST(RowOwners, AccountThenJournalThenTheOneMatchingWeightRange)
{
    TempDir dir;
    write(dir.path() / "measurements.jsonl",
          R"({"key":"k","seen":1700000100,"file":"scale","row":1700000100,"user":"bea"})"
          "\n");
    auto owners = RowOwners::open({user("adam", "family@example.com", 50, 70),
                                   user("bea", "family@example.com", 60, 90), user("carl", "", 20, 40)},
                                  dir.path() / "measurements.jsonl");
    ASSERT_TRUE(owners);
    ScaleHistoryRow row;
    row.status = RowStatus::uploaded;
    row.account = "family@example.com";
    row.weight_kg = 80;  // the shared account: bea's range
    EXPECT_EQ(owners->owner(row), 1U);
    row.weight_kg = 55;  // adam's
    EXPECT_EQ(owners->owner(row), 0U);
    row.account = "carl";  // a user without an account: the name
    EXPECT_EQ(owners->owner(row), 2U);
    row = {};
    row.status = RowStatus::to_import;
    row.unix_time = 1700000100;  // the journal says bea, although 65 kg fits adam too
    row.weight_kg = 65;
    EXPECT_EQ(owners->owner(row), 1U);
    row.unix_time = 1700000200;  // no journal line: 65 kg fits adam and bea → nobody
    EXPECT_FALSE(owners->owner(row));
    row.weight_kg = 30;  // carl alone
    EXPECT_EQ(owners->owner(row), 2U);
    row.status = RowStatus::unassigned;
    EXPECT_FALSE(owners->owner(row));
}

TEST(LockHolder, ReadsOnlyExclusiveFlocksOfTheFile)
{
    // /dev/mmcblk0p2 is b3:02 (179:2); the inode is decimal.
    const auto device = makedev(179, 2);
    EXPECT_TRUE(is_exclusive_flock_on("1: FLOCK  ADVISORY  WRITE 812 b3:02:131074 0 EOF", device, 131074));
    EXPECT_FALSE(is_exclusive_flock_on("1: FLOCK  ADVISORY  WRITE 812 b3:02:131075 0 EOF", device, 131074));
    EXPECT_FALSE(is_exclusive_flock_on("1: FLOCK  ADVISORY  WRITE 812 b3:03:131074 0 EOF", device, 131074));
    EXPECT_FALSE(is_exclusive_flock_on("1: POSIX  ADVISORY  WRITE 812 b3:02:131074 0 EOF", device, 131074));
    EXPECT_FALSE(is_exclusive_flock_on("1: FLOCK  ADVISORY  READ 812 b3:02:131074 0 EOF", device, 131074));
    EXPECT_FALSE(
        is_exclusive_flock_on("1: -> FLOCK  ADVISORY  WRITE 900 b3:02:131074 0 EOF", device, 131074));
    EXPECT_FALSE(is_exclusive_flock_on("garbage", device, 131074));
}

TEST(LockHolder, FoundWithoutTakingTheLock)
{
    TempDir dir;
    EXPECT_FALSE(find_lock_holder(dir.path()));  // no lock file
    auto lock = StateLock::acquire(dir.path(), "run");
    ASSERT_TRUE(lock);
    auto holder = find_lock_holder(dir.path());
    ASSERT_TRUE(holder);
    EXPECT_EQ(holder->pid, static_cast<long>(::getpid()));
    EXPECT_EQ(holder->command, "run");
    // An unreadable /proc/locks: the shared-lock probe says the same.
    holder = find_lock_holder(dir.path(), dir.path() / "no-proc-locks");
    ASSERT_TRUE(holder);
    EXPECT_EQ(holder->command, "run");
}

TEST(RowOwners, WithThePipelinesWeightRuleAnOverlapGoesWhereTheStoreSendsIt)
{
    // adam 50–70 (middle 60), bea 60–90 (middle 75): 65 kg is 5 from adam's middle, 10 from bea's.
    User adam;
    adam.name = "adam";
    adam.min_weight_kg = 50;
    adam.max_weight_kg = 70;
    User bea;
    bea.name = "bea";
    bea.min_weight_kg = 60;
    bea.max_weight_kg = 90;
    const std::vector<User> users{adam, bea};
    const testing_support::TempDir dir;
    auto owners = RowOwners::open(users, dir.path() / "measurements.jsonl", pipeline::owner_by_weight(users));
    ASSERT_TRUE(owners.ok()) << owners.error().message;
    ScaleHistoryRow row;
    row.status = RowStatus::to_import;
    row.unix_time = 1700000200;
    row.weight_kg = 65;
    EXPECT_EQ(owners->owner(row), 0U);
    row.weight_kg = 68;  // 8 from 60, 7 from 75
    EXPECT_EQ(owners->owner(row), 1U);
    row.weight_kg = 95;  // nobody's range
    EXPECT_FALSE(owners->owner(row));
}

}  // namespace
}  // namespace ble2garmin::store
