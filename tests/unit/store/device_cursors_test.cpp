// The store's device cursors (store/device_cursors.hpp): how far a cuff's memory is stored, kept
// exactly as durable as the rows — folded from the journal at open, never from a line whose row is
// missing, and surviving the journal's compaction.

#include "store/device_cursors.hpp"

#include <gtest/gtest.h>

#include "../test_users.hpp"
#include "store/measurement_journal.hpp"
#include "store/measurement_store.hpp"
#include "store_test_support.hpp"
#include "util/time.hpp"

namespace ble2garmin::store {
namespace {

using testing_support::read_text;
using testing_support::ScopedTimeZone;
using testing_support::TempDir;
using testing_support::write_text;

constexpr const char* k_cuff = "00:5F:BF:4A:11:22";
const SystemTime k_now = from_unix_seconds(1'721'100'000);

Measurement cuff_record(std::int64_t t, const std::string& stream, std::int64_t position)
{
    Measurement measurement;
    measurement.reading.module = "omron";
    measurement.reading.device_address = k_cuff;
    measurement.reading.received_at = k_now;
    measurement.reading.value = BloodPressureReading{120, 80, 65, false, false};
    measurement.reading.memory = MemoryPlace{stream, position};
    measurement.measured_at = from_unix_seconds(t);
    measurement.user = ble2garmin::testing_support::adam();
    return measurement;
}

class DeviceCursorsTest : public ::testing::Test {
protected:
    StoreOptions options() const
    {
        StoreOptions options;
        options.state_directory = m_dir.path();
        options.scale_csv = m_dir.path() / "miscale_backup.csv";
        options.blood_pressure_csv = m_dir.path() / "omron_backup.csv";
        options.duplicate_window = std::chrono::seconds(60);
        return options;
    }
    std::unique_ptr<MeasurementStore> open(SystemTime now = k_now)
    {
        auto store = MeasurementStore::open(options(), now);
        EXPECT_TRUE(store.ok()) << store.error().message;
        return store.ok() ? std::move(*store) : nullptr;
    }

    const ScopedTimeZone m_utc{"UTC"};
    TempDir m_dir;
};

TEST_F(DeviceCursorsTest, ARecordedRecordMovesItsCursorNowAndAfterReopening)
{
    {
        auto store = open();
        EXPECT_TRUE(store->device_cursors(k_cuff).empty());
        ASSERT_TRUE(
            store->record(std::string(k_cuff) + "|a", cuff_record(1'700'000'000, "user1", 500), false));
        ASSERT_TRUE(
            store->record(std::string(k_cuff) + "|b", cuff_record(1'700'000'100, "user2", 700), false));
        EXPECT_EQ(store->device_cursors(k_cuff),
                  (std::map<std::string, std::int64_t>{{"user1", 500}, {"user2", 700}}));
    }
    // A day later the journal's lines are outside the window and compacted away: the cursors are in
    // their own file by then.
    auto store = open(k_now + std::chrono::hours(24));
    EXPECT_EQ(store->device_cursors(k_cuff),
              (std::map<std::string, std::int64_t>{{"user1", 500}, {"user2", 700}}));
    EXPECT_EQ(read_text(m_dir.path() / k_device_cursors_file),
              std::string(k_cuff) + "\tuser1\t500\n" + k_cuff + "\tuser2\t700\n");
    EXPECT_TRUE(store->device_cursors("AA:BB:CC:DD:EE:FF").empty());
}

TEST_F(DeviceCursorsTest, AJournalLineWithoutItsRowMovesNoCursor)
{
    // Killed between the journal line and the row: the record was never stored, so the next
    // session must read it again.
    JournalEntry entry;
    entry.key = std::string(k_cuff) + "|x";
    entry.seen = 1'721'100'000;
    entry.file = BackupKind::blood_pressure;
    entry.row = 1'700'000'000;
    entry.stream = "user1";
    entry.position = 900;
    write_text(m_dir.path() / k_journal_file, format_journal_entry(entry));
    auto store = open();
    EXPECT_TRUE(store->device_cursors(k_cuff).empty());
}

TEST_F(DeviceCursorsTest, CursorsNeverMoveBackAndUnreadableLinesAreSkipped)
{
    write_text(m_dir.path() / k_device_cursors_file,
               std::string(k_cuff) + "\tuser1\t900\nnot a line\n" + k_cuff + "\tuser2\tx\n");
    auto cursors = DeviceCursors::open(m_dir.path() / k_device_cursors_file);
    ASSERT_TRUE(cursors);
    EXPECT_FALSE(cursors->raise(k_cuff, "user1", 800));
    EXPECT_TRUE(cursors->raise(k_cuff, "user1", 901));
    EXPECT_EQ(cursors->of(k_cuff), (std::map<std::string, std::int64_t>{{"user1", 901}}));
}

TEST_F(DeviceCursorsTest, PeekSeesTheJournalWithoutOpeningTheStore)
{
    {
        auto store = open();
        ASSERT_TRUE(
            store->record(std::string(k_cuff) + "|a", cuff_record(1'700'000'000, "user1", 500), false));
    }
    EXPECT_EQ(peek_device_cursors(m_dir.path(), k_cuff),
              (std::map<std::string, std::int64_t>{{"user1", 500}}));
}

}  // namespace
}  // namespace ble2garmin::store
