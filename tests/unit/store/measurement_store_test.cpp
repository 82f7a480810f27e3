// The measurement store over real files in a temp directory: what it reads, what it writes, what it
// leaves alone, and what it refuses.

#include "store/measurement_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "../test_users.hpp"
#include "pipeline/pipeline.hpp"
#include "store/legacy_state_files.hpp"
#include "store/miscale/miscale_header.hpp"
#include "store/omron/omron_row.hpp"
#include "store_test_support.hpp"
#include "util/time.hpp"

namespace ble2garmin::store {
namespace {

using namespace std::chrono_literals;
using testing_support::files_starting_with;
using testing_support::read_text;
using testing_support::RecordingFileSync;
using testing_support::ScopedTimeZone;
using testing_support::TempDir;
using testing_support::write_text;

const SystemTime k_now = from_unix_seconds(1'721'100'000);
const std::string k_header = make_miscale_header({});
const std::string k_omron_header(omron_header());

unsigned mode_of(const std::filesystem::path& path)
{
    struct stat status {};
    EXPECT_EQ(::lstat(path.c_str(), &status), 0) << path;
    return status.st_mode & 07777U;
}

// body-composition.md §8 vector 1, with a Garmin account.
User adam()
{
    User user = ble2garmin::testing_support::adam();
    user.garmin_email = "adam@example.com";
    return user;
}

// A weighing of adam at `t` with its composition, as the pipeline hands it to the store.
Measurement weighing(std::int64_t t, double kg, int impedance)
{
    Measurement measurement;
    ScaleReading scale;
    scale.weight_kg = kg;
    scale.impedance_ohm = impedance;
    measurement.reading.module = "mi_scale2";
    measurement.reading.received_at = k_now;
    measurement.reading.value = scale;
    measurement.measured_at = from_unix_seconds(t);
    measurement.user = adam();
    auto composition = body::compose(pipeline::composition_inputs(adam(), scale, measurement.measured_at));
    EXPECT_TRUE(composition.ok());
    measurement.composition = *composition;
    return measurement;
}

Measurement blood_pressure(std::int64_t t, int sys, int dia, int pulse)
{
    Measurement measurement;
    measurement.reading.module = "test";
    measurement.reading.value = BloodPressureReading{sys, dia, pulse, false, false};
    measurement.measured_at = from_unix_seconds(t);
    measurement.user = adam();
    return measurement;
}

class MeasurementStoreTest : public ::testing::Test {
protected:
    void SetUp() override { m_state = m_dir / "state"; }

    StoreOptions options() const
    {
        StoreOptions options;
        options.state_directory = m_state;
        options.scale_csv = m_state / "miscale_backup.csv";
        options.blood_pressure_csv = m_state / "omron_backup.csv";
        options.users = {adam()};
        options.include_local = m_include_local;
        return options;
    }

    std::unique_ptr<MeasurementStore> open(SystemTime now = k_now)
    {
        auto store = MeasurementStore::open(options(), now, m_sync);
        EXPECT_TRUE(store.ok()) << store.error().message;
        return store.ok() ? std::move(*store) : nullptr;
    }

    std::filesystem::path scale_csv() const { return m_state / "miscale_backup.csv"; }
    std::filesystem::path omron_csv() const { return m_state / "omron_backup.csv"; }

    const ScopedTimeZone m_utc{"UTC"};
    TempDir m_dir;
    std::filesystem::path m_state;
    RecordingFileSync m_sync;
    bool m_include_local = false;
};

TEST_F(MeasurementStoreTest, KeepsOnlyTheWaitingRowsOfALongHistory)
{
    std::filesystem::create_directory(m_state);
    std::string text = k_header + "\n";
    for (int i = 0; i < 20000; ++i) {
        text +=
            "uploaded;" + std::to_string(1'600'000'000 + i * 3600) +
            ";13.09.2020;12:26;55.2;0.0;18.7;10.8;46.7;2.6;61.2;7;4;19;1217;51.1;64.4;to_gain:6.8;23.4;508;"
            "adam@example.com;13.09.2020;12:30;240\n";
    }
    text += "to_import;1721076654;55.2;508\nfailed;1721076700;55.4;509\n";
    write_text(scale_csv(), text);
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_EQ(store->pending_scale().size(), 2U);
    EXPECT_EQ(store->pending_scale()[0].row.unix_time(), 1721076654);
    // Rows without a journal line and without a completion rule have no user: never uploaded blindly.
    EXPECT_FALSE(store->pending_scale()[0].user);
    EXPECT_EQ(store->unreadable_lines(), 0U);
}

TEST_F(MeasurementStoreTest, ACarriageReturnOnlyFileHasItsPendingRow)
{
    std::filesystem::create_directory(m_state);
    write_text(scale_csv(), k_header + "\rto_import;1721076654;55.2;508\r");
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_EQ(store->pending_scale().size(), 1U);
    // New rows follow the file's own line ending.
    ASSERT_TRUE(store->record("key", weighing(1721076900, 55.6, 510), true).ok());
    EXPECT_EQ(read_text(scale_csv()),
              k_header + "\rto_import;1721076654;55.2;508\rto_import;1721076900;55.6;510\r");
}

TEST_F(MeasurementStoreTest, AnUploadPassRewritesOnlyTheChangedRowsOfACrlfOmronBackup)
{
    std::filesystem::create_directory(m_state);
    // export2garmin's omron_backup.csv: header by bash ("\n"), rows by Python's csv module ("\r\n").
    const std::string uploaded =
        "uploaded;1721000000;15.07.2024;00:00;118;76;61;Normal;0;0;adam@example.com;15.07.2024;00:05;300\r\n";
    const std::string first = "to_import;1721076654;15.07.2024;20:50;135;80;70;0;0;adam@example.com\r\n";
    const std::string second = "to_import;1721076700;15.07.2024;20:51;150;85;71;0;1;adam@example.com\r\n";
    write_text(omron_csv(), k_omron_header + "\n" + uploaded + first + second);
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_EQ(store->pending_blood_pressure().size(), 2U);
    ASSERT_TRUE(store->mark_uploaded(BackupKind::blood_pressure, 1721076654, "adam@example.com", k_now).ok());
    store->mark_failed(BackupKind::blood_pressure, 1721076700);
    ASSERT_TRUE(store->flush().ok());
    // Category by the eu rules (135/80: High-Normal); Difference = 1721100000 − 1721076654 = 23346.
    EXPECT_EQ(read_text(omron_csv()),
              k_omron_header + "\n" + uploaded +
                  "uploaded;1721076654;15.07.2024;20:50;135;80;70;High-Normal;0;0;adam@example.com;"
                  "16.07.2024;03:20;23346\r\n" +
                  "failed;1721076700;15.07.2024;20:51;150;85;71;0;1;adam@example.com\r\n");
}

TEST_F(MeasurementStoreTest, TheByteOrderMarkAndUnreadableLinesSurviveARewrite)
{
    std::filesystem::create_directory(m_state);
    const std::string before = "\xEF\xBB\xBF" + k_header + "\r\n" + "this is not a row\r\n" +
                               "to_import;1721076654;55.2;508\r\n" + "to_import;1721076700;55.4;509";
    write_text(scale_csv(), before);
    auto store = open();
    ASSERT_TRUE(store);
    EXPECT_EQ(store->unreadable_lines(), 1U);
    store->mark_failed(BackupKind::scale, 1721076654);
    ASSERT_TRUE(store->flush().ok());
    std::string after = before;
    after.replace(after.find("to_import;1721076654"), 9, "failed");
    EXPECT_EQ(read_text(scale_csv()), after);
}

TEST_F(MeasurementStoreTest, AWholeBacklogIsOneRewrite)
{
    std::filesystem::create_directory(m_state);
    std::string text = k_header + "\n";
    for (int i = 0; i < 20; ++i) {
        text += "to_import;" + std::to_string(1721076654 + i * 60) + ";55.2;508\n";
    }
    write_text(scale_csv(), text);
    auto store = open();
    ASSERT_TRUE(store);
    for (const auto& pending : std::vector<PendingScale>(store->pending_scale())) {
        store->mark_failed(BackupKind::scale, pending.row.unix_time());
    }
    EXPECT_EQ(store->unwritten_changes(), 20U);
    EXPECT_EQ(read_text(scale_csv()), text);  // nothing on disk before the flush
    m_sync.files.clear();
    ASSERT_TRUE(store->flush().ok());
    EXPECT_EQ(m_sync.files.size(), 1U);  // one temp file written, synced and renamed
    EXPECT_EQ(store->unwritten_changes(), 0U);
    EXPECT_EQ(read_text(scale_csv()).find("to_import"), std::string::npos);
}

TEST_F(MeasurementStoreTest, NewFilesArePrivateAndAnExistingFileKeepsItsMode)
{
    {
        auto store = open();
        ASSERT_TRUE(store);
        ASSERT_TRUE(store->record("a", weighing(1721076654, 55.2, 508), true).ok());
        ASSERT_TRUE(store->record("b", blood_pressure(1721076700, 120, 80, 60), true).ok());
    }
    EXPECT_EQ(mode_of(m_state), 0700U);
    EXPECT_EQ(mode_of(scale_csv()), 0600U);
    EXPECT_EQ(mode_of(omron_csv()), 0600U);
    EXPECT_EQ(mode_of(m_state / k_journal_file), 0600U);
    // A file the user made readable for others stays so after a rewrite.
    ASSERT_EQ(::chmod(scale_csv().c_str(), 0644), 0);
    auto store = open();
    store->mark_failed(BackupKind::scale, 1721076654);
    ASSERT_TRUE(store->flush().ok());
    EXPECT_EQ(mode_of(scale_csv()), 0644U);
}

TEST_F(MeasurementStoreTest, ASymlinkedBackupOrStateFileIsRefusedAndItsTargetUntouched)
{
    std::filesystem::create_directory(m_state);
    const std::string outside = k_header + "\nto_import;1721076654;55.2;508\n";
    for (const char* name : {"miscale_backup.csv", "omron_backup.csv", k_journal_file, k_legacy_seen_file}) {
        SCOPED_TRACE(name);
        write_text(m_dir / "outside.txt", outside);
        std::filesystem::create_symlink(m_dir / "outside.txt", m_state / name);
        auto store = MeasurementStore::open(options(), k_now, m_sync);
        ASSERT_FALSE(store.ok());
        EXPECT_NE(store.error().message.find("symbolic link"), std::string::npos) << store.error().message;
        EXPECT_NE(store.error().message.find(name), std::string::npos) << store.error().message;
        EXPECT_EQ(read_text(m_dir / "outside.txt"), outside);
        std::filesystem::remove(m_state / name);
    }
}

TEST_F(MeasurementStoreTest, AReadingCountsAsRecordedOnlyWhileItsRowIsThere)
{
    {
        auto store = open();
        ASSERT_TRUE(store->record("scale|w1", weighing(1721076654, 55.2, 508), true).ok());
        EXPECT_TRUE(store->already_recorded("scale|w1", k_now + 10min));
        EXPECT_FALSE(store->already_recorded("scale|w1", k_now + 31min));  // the 30 min window
    }
    // After a restart: the row is in the file, so the reading stays recorded.
    EXPECT_TRUE(open()->already_recorded("scale|w1", k_now + 10min));

    // A crash between the journal line and the row: the line alone does not count, and is dropped.
    JournalEntry torn;
    torn.key = "scale|w2";
    torn.seen = to_unix_seconds(k_now);
    torn.row = 1721076700;
    torn.user = "adam";
    std::ofstream(m_state / k_journal_file, std::ios::app)
        << format_journal_entry(torn) << "{\"key\":\"scale|w3\",\"se";
    auto store = open();
    EXPECT_FALSE(store->already_recorded("scale|w2", k_now + 1min));
    EXPECT_TRUE(store->already_recorded("scale|w1", k_now + 1min));
    EXPECT_EQ(read_text(m_state / k_journal_file).find("scale|w2"), std::string::npos);
    // Recording it now gives its one row.
    ASSERT_TRUE(store->record("scale|w2", weighing(1721076700, 55.4, 509), true).ok());
    EXPECT_EQ(read_text(scale_csv()),
              k_header + "\nto_import;1721076654;55.2;508\nto_import;1721076700;55.4;509\n");
}

TEST_F(MeasurementStoreTest, ARowForGarminKeepsItsRecordedUserAndComposition)
{
    {
        auto store = open();
        ASSERT_TRUE(store->record("k", weighing(1721076654, 55.2, 508), true).ok());
    }
    auto store = open();
    ASSERT_EQ(store->pending_scale().size(), 1U);
    const PendingScale& pending = store->pending_scale()[0];
    ASSERT_TRUE(pending.user);
    EXPECT_EQ(pending.user->name, "adam");
    ASSERT_TRUE(pending.composition);
    // body-composition.md §8 vector 1, full precision (not the CSV's one decimal).
    EXPECT_NEAR(pending.composition->bmi, 18.658734451054627, 1e-9);
    ASSERT_TRUE(pending.composition->body_fat);
    EXPECT_NEAR(*pending.composition->body_fat, 10.761790840579721, 1e-9);
}

TEST_F(MeasurementStoreTest, LocalRowsWaitForGarminOnlyWhenAsked)
{
    {
        auto store = open();
        ASSERT_TRUE(store->record("k", weighing(1721076654, 55.2, 508), false).ok());
        EXPECT_TRUE(store->pending_scale().empty());
    }
    EXPECT_TRUE(open()->pending_scale().empty());
    m_include_local = true;
    auto store = open();
    ASSERT_EQ(store->pending_scale().size(), 1U);
    const PendingScale& pending = store->pending_scale()[0];
    EXPECT_EQ(pending.row.status(), RowStatus::local);
    ASSERT_TRUE(pending.user);
    ASSERT_TRUE(pending.composition);
    EXPECT_DOUBLE_EQ(pending.composition->bmi, 18.7);  // as written in the row
    ASSERT_TRUE(store->mark_uploaded(BackupKind::scale, 1721076654, "adam@example.com", k_now).ok());
    ASSERT_TRUE(store->flush().ok());
    const std::string text = read_text(scale_csv());
    EXPECT_NE(text.find("\nuploaded;1721076654;15.07.2024;20:50;55.2;0.0;18.7;10.8;"), std::string::npos)
        << text;
    EXPECT_NE(text.find(";508;adam@example.com;16.07.2024;03:20;23346\n"), std::string::npos) << text;
}

TEST_F(MeasurementStoreTest, TheChangeColumnComparesWithTheUsersPreviousWeighing)
{
    std::filesystem::create_directory(m_state);
    // By measurement time, not file order; other accounts never count.
    write_text(
        scale_csv(),
        k_header +
            "\n"
            "uploaded;1721163321;16.07.2024;22:55;55.6;0.4;18.8;11.4;46.6;2.6;60.8;7;5;19;1223;51.4;64.4;"
            "to_gain:6.4;23.0;512;adam@example.com;16.07.2024;22:56;49\n"
            "uploaded;1721000000;15.07.2024;00:00;54.0;0.0;18.3;10.0;46.7;2.6;61.2;7;4;19;1217;51.1;64.4;"
            "to_gain:6.8;23.4;508;adam@example.com;15.07.2024;23:00;546\n"
            "uploaded;1721076000;15.07.2024;20:40;80.0;0.0;27.0;20.0;46.7;2.6;61.2;7;4;19;1217;51.1;64.4;"
            "to_gain:6.8;23.4;508;bea@example.com;15.07.2024;23:00;546\n");
    auto store = open();
    ASSERT_TRUE(store->record("k", weighing(1721076654, 55.2, 508), true).ok());
    ASSERT_TRUE(store->record("l", weighing(1721200000, 55.5, 508), true).ok());
    ASSERT_TRUE(store->mark_uploaded(BackupKind::scale, 1721076654, "adam@example.com", k_now).ok());
    ASSERT_TRUE(store->mark_uploaded(BackupKind::scale, 1721200000, "adam@example.com", k_now).ok());
    ASSERT_TRUE(store->flush().ok());
    const std::string text = read_text(scale_csv());
    // 55.2 − 54.0 (15.07 00:00, the latest earlier one); 55.5 − 55.6 (16.07 22:55).
    EXPECT_NE(text.find("uploaded;1721076654;15.07.2024;20:50;55.2;1.2;"), std::string::npos) << text;
    EXPECT_NE(text.find("uploaded;1721200000;17.07.2024;07:06;55.5;-0.1;"), std::string::npos) << text;
}

TEST_F(MeasurementStoreTest, AFailedFlushKeepsTheChangesAndTheFile)
{
    std::filesystem::create_directory(m_state);
    const std::string text = k_header + "\nto_import;1721076654;55.2;508\n";
    write_text(scale_csv(), text);
    auto store = open();
    store->mark_failed(BackupKind::scale, 1721076654);
    m_sync.fail_files = true;
    EXPECT_FALSE(store->flush().ok());
    EXPECT_EQ(read_text(scale_csv()), text);
    EXPECT_EQ(store->unwritten_changes(), 1U);
    EXPECT_TRUE(files_starting_with(m_state, ".miscale_backup.csv.tmp-").empty());
    m_sync.fail_files = false;
    ASSERT_TRUE(store->flush().ok());
    EXPECT_EQ(read_text(scale_csv()), k_header + "\nfailed;1721076654;55.2;508\n");
}

TEST_F(MeasurementStoreTest, TheStateFilesOfEarlierVersionsAreFoldedIntoTheJournal)
{
    std::filesystem::create_directory(m_state);
    write_text(scale_csv(), k_header + "\nto_import;1721076654;55.2;508\n");
    write_text(m_state / k_legacy_seen_file,
               std::to_string(to_unix_seconds(k_now)) + "\tC8:47|fp1\nbroken line\n");
    write_text(m_state / k_legacy_owners_file, "1721076654\tadam\n");
    {
        auto store = open();
        EXPECT_TRUE(store->already_recorded("C8:47|fp1", k_now + 1min));
        ASSERT_TRUE(store->pending_scale()[0].user);
    }
    EXPECT_FALSE(std::filesystem::exists(m_state / k_legacy_seen_file));
    EXPECT_FALSE(std::filesystem::exists(m_state / k_legacy_owners_file));
    auto store = open();
    EXPECT_TRUE(store->already_recorded("C8:47|fp1", k_now + 1min));
    ASSERT_TRUE(store->pending_scale()[0].user);
    EXPECT_EQ(store->pending_scale()[0].user->name, "adam");
}

TEST_F(MeasurementStoreTest, TheUnfinishedLastLineOfAKilledAppendIsCutAndTheWeighingRecordedAgain)
{
    // A SIGKILL can stop a write() between two pages: the row's first bytes are in the file, its line
    // ending is not. The journal line came first, so the weighing counts as not recorded.
    {
        auto store = open();
        ASSERT_TRUE(store->record("scale|w1", weighing(1721076654, 55.2, 508), true).ok());
    }
    JournalEntry entry;
    entry.key = "scale|w2";
    entry.seen = to_unix_seconds(k_now);
    entry.row = 1721076700;
    entry.user = "adam";
    const std::string complete = k_header + "\nto_import;1721076654;55.2;508\n";
    for (const std::string torn : {"to_imp", "to_import;1721076700;55.4;5"}) {
        SCOPED_TRACE(torn);
        std::ofstream(m_state / k_journal_file, std::ios::app) << format_journal_entry(entry);
        write_text(scale_csv(), complete + torn);
        auto store = open();
        EXPECT_EQ(read_text(scale_csv()), complete);
        EXPECT_FALSE(store->already_recorded("scale|w2", k_now + 1min));
        EXPECT_EQ(store->pending_scale().size(), 1U);
    }
    // Without a recording under way, a last line without an ending is the user's and stays, row or not.
    write_text(scale_csv(), complete + "a note of mine");
    EXPECT_EQ((open(), read_text(scale_csv())), complete + "a note of mine");
    // A hand-edited file whose last row has no line ending keeps it (the journal does not know it).
    write_text(scale_csv(), complete + "to_import;1721090000;60.1;480");
    auto store = open();
    EXPECT_EQ(read_text(scale_csv()), complete + "to_import;1721090000;60.1;480");
    EXPECT_EQ(store->pending_scale().size(), 2U);
    // …and the next row goes on a line of its own.
    ASSERT_TRUE(store->record("scale|w3", weighing(1721095000, 55.3, 509), true).ok());
    EXPECT_EQ(read_text(scale_csv()),
              complete + "to_import;1721090000;60.1;480\nto_import;1721095000;55.3;509\n");
}

}  // namespace
}  // namespace ble2garmin::store
