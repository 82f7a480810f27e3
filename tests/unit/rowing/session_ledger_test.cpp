#include "rowing/session_ledger.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "../temp_dir.hpp"

namespace ble2garmin::rowing {
namespace {

TEST(SessionKey, Fnv1a64)
{
    // FNV-1a 64 reference values: "" = offset basis cbf29ce484222325, "a" = af63dc4c8601ec8c.
    EXPECT_EQ(session_key(""), "cbf29ce484222325");
    EXPECT_EQ(session_key("a"), "af63dc4c8601ec8c");
}

TEST(SessionLedger, RecordsSurviveAReopenInA0600File)
{
    testing_support::TempDir temp;
    const auto path = temp.path() / k_session_ledger_file;
    auto ledger = SessionLedger::open(path);
    ASSERT_TRUE(ledger.ok()) << ledger.error().message;
    EXPECT_TRUE(ledger->sessions().empty());
    EXPECT_FALSE(ledger->contains("k1"));
    ASSERT_TRUE(
        ledger
            ->record("k1", {"a.tcx", 4506, 1'700'000'000'123'456'789, "uploaded", 1'710'000'000, "HTTP 201"})
            .ok());

    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    auto again = SessionLedger::open(path);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(again->contains("k1"));
    EXPECT_TRUE(again->knows_file("a.tcx", 4506, 1'700'000'000'123'456'789));
    EXPECT_FALSE(again->knows_file("a.tcx", 4507, 1'700'000'000'123'456'789));
    const SessionRecord& record = again->sessions().at("k1");
    EXPECT_EQ(record.status, "uploaded");
    EXPECT_EQ(record.at, 1'710'000'000);
    EXPECT_EQ(record.detail, "HTTP 201");
}

TEST(SessionLedger, AFileThatIsNotALedgerIsAnError)
{
    testing_support::TempDir temp;
    const auto path = temp.path() / k_session_ledger_file;
    std::ofstream(path) << "{\"sessions\": [1, 2]";
    auto ledger = SessionLedger::open(path);
    ASSERT_FALSE(ledger.ok());
    EXPECT_NE(ledger.error().message.find("not a rowing session ledger"), std::string::npos)
        << ledger.error().message;
}

}  // namespace
}  // namespace ble2garmin::rowing
