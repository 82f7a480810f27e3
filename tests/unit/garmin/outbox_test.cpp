// The outbox over a real measurement store (miscale_backup.csv in a temp directory); Garmin's answers
// are given by the test (the HTTP side has its own tests against the mock server).

#include "garmin/outbox/outbox.hpp"

#include <gtest/gtest.h>

#include "../store/store_test_support.hpp"
#include "pipeline/store_setup.hpp"
#include "store/legacy_state_files.hpp"
#include "util/time.hpp"

namespace ble2garmin::garmin {
namespace {

using namespace std::chrono_literals;
using store::testing_support::lines_of;
using store::testing_support::read_text;
using store::testing_support::TempDir;
using store::testing_support::write_text;

const std::string k_header = store::make_miscale_header({});
const SystemTime k_now = from_unix_seconds(1'721'100'000);

User user(const char* name, const char* email, double min_kg, double max_kg)
{
    User u;
    u.name = name;
    u.sex = Sex::male;
    u.height_cm = 172;
    u.birth_date =
        std::chrono::year_month_day{std::chrono::year{1984}, std::chrono::month{4}, std::chrono::day{2}};
    u.garmin_email = email;
    u.min_weight_kg = min_kg;
    u.max_weight_kg = max_kg;
    return u;
}

class OutboxTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_users = {user("adam", "adam@example.com", 50, 65), user("bea", "bea@example.com", 66, 90),
                   user("cyd", "", 91, 120)};
        // adam 55.2 (oldest), bea 72.4, adam 56.0, cyd 95.0 (no Garmin account)
        write_text(m_dir / "miscale_backup.csv", k_header +
                                                     "\nto_import;1721076654;55.2;508\n"
                                                     "to_import;1721076700;72.4;480\n"
                                                     "failed;1721076800;56.0;500\n"
                                                     "to_import;1721076900;95.0;450\n");
        reopen();
    }

    void reopen()
    {
        if (m_store) {
            ASSERT_TRUE(m_store->flush().ok());
        }
        m_store.reset();
        store::StoreOptions options;
        options.state_directory = m_dir.path();
        options.scale_csv = m_dir / "miscale_backup.csv";
        options.blood_pressure_csv = m_dir / "omron_backup.csv";
        options.users = m_users;
        options.complete_row = [users = m_users](const store::MiscaleRow& row,
                                                 const std::optional<std::string>& owner) {
            return pipeline::complete_row(users, row, owner);
        };
        auto opened = store::MeasurementStore::open(options, k_now);
        ASSERT_TRUE(opened.ok()) << opened.error().message;
        m_store = std::move(*opened);
        m_outbox =
            std::make_unique<Outbox>(OutboxSchedule::open(m_dir / k_outbox_state_file, [] { return 1.0; }));
    }

    // The backup as on disk after the store's flush.
    std::vector<std::string> rows() const
    {
        EXPECT_TRUE(m_store->flush().ok());
        auto lines = lines_of(read_text(m_dir / "miscale_backup.csv"));
        lines.erase(lines.begin());
        return lines;
    }

    std::optional<OutboxJob> next(SystemTime now = k_now) { return m_outbox->next_job(*m_store, now); }

    TempDir m_dir;
    std::vector<User> m_users;
    std::unique_ptr<store::MeasurementStore> m_store;
    std::unique_ptr<Outbox> m_outbox;
};

TEST_F(OutboxTest, OldestRowFirstAndTheFitIsTheRowsMeasurement)
{
    auto job = next();
    ASSERT_TRUE(job);
    EXPECT_EQ(job->email, "adam@example.com");
    EXPECT_EQ(job->scale()->unix_time, 1721076654);
    EXPECT_EQ(job->scale()->user.name, "adam");
    EXPECT_DOUBLE_EQ(job->scale()->composition.weight, 55.2);
    ASSERT_TRUE(job->scale()->composition.body_fat);  // the impedance was used
    // A FIT file: ".FIT" at bytes 8..11 of the header.
    ASSERT_GT(job->scale()->fit.size(), 14U);
    EXPECT_EQ(std::string(job->scale()->fit.begin() + 8, job->scale()->fit.begin() + 12), ".FIT");
    // The same row always gives the same bytes, so a retry is a 409 at Garmin, not a second weigh-in.
    EXPECT_EQ(next()->scale()->fit, job->scale()->fit);
}

TEST_F(OutboxTest, AcceptedAndDuplicateRowsBecomeUploadedRows)
{
    auto first = next();
    m_outbox->finish(*first, {ApiOutcome::success, {}, "202", std::nullopt}, *m_store, k_now);
    auto second = next();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->scale()->unix_time, 1721076700);
    m_outbox->finish(*second, {ApiOutcome::duplicate, {}, "409", std::nullopt}, *m_store, k_now);
    const auto lines = rows();
    ASSERT_EQ(lines.size(), 4U);
    EXPECT_TRUE(lines[0].starts_with("uploaded;1721076654;")) << lines[0];
    EXPECT_NE(lines[0].find(";adam@example.com;"), std::string::npos) << lines[0];
    // Difference Time = upload time − T = 1721100000 − 1721076654.
    EXPECT_TRUE(lines[0].ends_with(";23346")) << lines[0];
    EXPECT_TRUE(lines[1].starts_with("uploaded;1721076700;")) << lines[1];
    EXPECT_NE(lines[1].find(";bea@example.com;"), std::string::npos);
    EXPECT_EQ(lines[2], "failed;1721076800;56.0;500");
}

TEST_F(OutboxTest, AnAcceptedRowIsNotSentAgainWhileTheBackupCannotBeRewritten)
{
    auto first = next();
    ASSERT_EQ(first->email, "adam@example.com");
    // The backup cannot be rewritten any more (a directory where the file was; root ignores modes).
    std::filesystem::remove(m_dir / "miscale_backup.csv");
    std::filesystem::create_directory(m_dir / "miscale_backup.csv");
    m_outbox->finish(*first, {ApiOutcome::success, {}, "202", std::nullopt}, *m_store, k_now);
    EXPECT_FALSE(m_store->flush().ok());
    EXPECT_EQ(m_store->unwritten_changes(), 1U);  // kept for the next flush
    // The row counts as uploaded in memory: the next job is another row, not the same one again.
    auto next_job = next();
    ASSERT_TRUE(next_job);
    EXPECT_NE(next_job->unix_time(), 1721076654);
}

TEST_F(OutboxTest, ABacklogIsWrittenInOneRewrite)
{
    for (auto job = next(); job; job = next()) {
        m_outbox->finish(*job, {ApiOutcome::success, {}, "202", std::nullopt}, *m_store, k_now);
    }
    EXPECT_EQ(m_store->unwritten_changes(), 3U);  // cyd's row has no account
    EXPECT_EQ(read_text(m_dir / "miscale_backup.csv").find("uploaded;"), std::string::npos);
    const auto lines = rows();
    ASSERT_EQ(lines.size(), 4U);
    EXPECT_TRUE(lines[0].starts_with("uploaded;1721076654;")) << lines[0];
    EXPECT_TRUE(lines[1].starts_with("uploaded;1721076700;")) << lines[1];
    EXPECT_TRUE(lines[2].starts_with("uploaded;1721076800;")) << lines[2];
    EXPECT_EQ(lines[3], "to_import;1721076900;95.0;450");
    EXPECT_EQ(m_store->unwritten_changes(), 0U);
}

TEST_F(OutboxTest, ATransientFailureMakesOnlyThatAccountWaitAndKeepsItsOrder)
{
    auto first = next();
    m_outbox->finish(*first, {ApiOutcome::transient, {}, "HTTP 503", std::nullopt}, *m_store, k_now);
    EXPECT_EQ(rows()[0], "failed;1721076654;55.2;508");
    // adam waits (his later row too: his rows keep their order); bea's row goes.
    auto job = next();
    ASSERT_TRUE(job);
    EXPECT_EQ(job->email, "bea@example.com");
    m_outbox->finish(*job, {ApiOutcome::success, {}, "", std::nullopt}, *m_store, k_now);
    EXPECT_FALSE(next(k_now + 59s));  // cyd has no account: nothing else
    ASSERT_EQ(m_outbox->next_attempt(k_now), k_now + 60s);
    EXPECT_FALSE(m_outbox->next_attempt(k_now + 60s));
    auto retry = next(k_now + 60s);
    ASSERT_TRUE(retry);
    EXPECT_EQ(retry->scale()->unix_time, 1721076654);
}

TEST_F(OutboxTest, TransientWaitsDoubleUpToSixHours)
{
    std::vector<long> waits;
    SystemTime now = k_now;
    for (int i = 0; i < 11; ++i) {
        auto job = next(now);
        ASSERT_TRUE(job) << i;
        ASSERT_EQ(job->email, "adam@example.com");
        m_outbox->finish(*job, {ApiOutcome::transient, {}, "timeout", std::nullopt}, *m_store, now);
        const SystemTime until = *m_outbox->schedule().waiting_until("adam@example.com", now);
        waits.push_back(static_cast<long>(to_unix_seconds(until) - to_unix_seconds(now)));
        now = until;
        // bea's row is uploaded meanwhile so that only adam's remain
        if (auto other = next(now); other && other->email == "bea@example.com") {
            m_outbox->finish(*other, {ApiOutcome::success, {}, "", std::nullopt}, *m_store, now);
        }
    }
    EXPECT_EQ(waits, (std::vector<long>{60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600}));
}

TEST_F(OutboxTest, RateLimitPausesTheAccountAndTheRowStaysAsItWas)
{
    auto first = next();
    m_outbox->finish(*first, {ApiOutcome::rate_limited, 120L, "HTTP 429", std::nullopt}, *m_store, k_now);
    EXPECT_EQ(rows()[0], "to_import;1721076654;55.2;508");
    // Retry-After 120 s is less than the one-hour minimum.
    EXPECT_EQ(m_outbox->schedule().waiting_until("adam@example.com", k_now), k_now + 1h);
    // A longer Retry-After wins; the pause survives a restart.
    auto bea = next();
    ASSERT_EQ(bea->email, "bea@example.com");
    m_outbox->finish(*bea, {ApiOutcome::rate_limited, 7200L, "HTTP 429", std::nullopt}, *m_store, k_now);
    reopen();
    EXPECT_EQ(m_outbox->schedule().waiting_until("bea@example.com", k_now), k_now + 2h);
    EXPECT_FALSE(next(k_now + 59min));
    // A hand-run upload forgets other waits, not rate limits.
    m_outbox->schedule().forget_waits_except_rate_limits();
    EXPECT_FALSE(next(k_now + 59min));
    EXPECT_TRUE(next(k_now + 1h));
}

TEST_F(OutboxTest, ARefusedRowIsParkedAndDoesNotBlockTheNext)
{
    auto first = next();
    m_outbox->finish(
        *first, {ApiOutcome::rejected, {}, "HTTP 415: The file is of a type we do not support", std::nullopt},
        *m_store, k_now);
    EXPECT_EQ(rows()[0], "failed;1721076654;55.2;508");
    reopen();
    auto job = next();
    ASSERT_TRUE(job);
    EXPECT_EQ(job->scale()->unix_time, 1721076700);
    m_outbox->finish(*job, {ApiOutcome::success, {}, "", std::nullopt}, *m_store, k_now);
    job = next();
    ASSERT_TRUE(job);
    EXPECT_EQ(job->scale()->unix_time, 1721076800);  // adam's next row
    EXPECT_NE(read_text(m_dir / k_outbox_state_file).find("\"1721076654\": \"HTTP 415"), std::string::npos);
}

TEST_F(OutboxTest, ALoginProblemPausesTheAccountForFiveMinutesOrUntilAHandRunUpload)
{
    auto first = next();
    m_outbox->finish(*first, {ApiOutcome::auth_failed, {}, "HTTP 401", std::nullopt}, *m_store, k_now);
    EXPECT_EQ(rows()[0], "to_import;1721076654;55.2;508");
    EXPECT_EQ(m_outbox->schedule().waiting_until("adam@example.com", k_now), k_now + 5min);
    m_outbox->schedule().forget_waits_except_rate_limits();
    EXPECT_FALSE(m_outbox->schedule().waiting_until("adam@example.com", k_now));
}

TEST_F(OutboxTest, RowsThatCanNeverBeUploadedAreParkedOnTheWay)
{
    m_users[0].height_cm = 230;  // the formulas refuse it ("Height is too high")
    reopen();
    auto job = next();
    ASSERT_TRUE(job);
    EXPECT_EQ(job->email, "bea@example.com");
    EXPECT_EQ(rows()[0], "failed;1721076654;55.2;508");
    EXPECT_EQ(rows()[2], "failed;1721076800;56.0;500");
}

TEST_F(OutboxTest, TheRecordedOwnerDecidesOverTheWeightRange)
{
    // 55.2 kg is in adam's range, but the scale's profile id said bea when it was recorded (an earlier
    // version's owners file, folded into the journal at open).
    write_text(m_dir / store::k_legacy_owners_file, "1721076654\tbea\n");
    reopen();
    auto job = next();
    ASSERT_TRUE(job);
    EXPECT_EQ(job->email, "bea@example.com");
    EXPECT_EQ(job->scale()->user.name, "bea");
    EXPECT_FALSE(std::filesystem::exists(m_dir / store::k_legacy_owners_file));
    // The owner survives the next open (it is in the journal now).
    reopen();
    EXPECT_EQ(next()->email, "bea@example.com");
}

TEST_F(OutboxTest, AnOwnerWhoIsNoLongerConfiguredLeavesItToTheWeightRange)
{
    write_text(m_dir / store::k_legacy_owners_file, "1721076654\tzoe\n");
    reopen();
    EXPECT_EQ(next()->email, "adam@example.com");
}

}  // namespace
}  // namespace ble2garmin::garmin
