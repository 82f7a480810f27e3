// report/: the downsampling, the moving average, the chart's value formatting and escaping, and the
// status file's JSON (app/daemon_status).

#include <gtest/gtest.h>

#include "app/daemon_status.hpp"
#include "report/html_text.hpp"
#include "report/svg_chart.hpp"
#include "report/time_buckets.hpp"

namespace ble2garmin::report {
namespace {

TEST(TimeBuckets, MinMaxMeanPerBucket)
{
    TimeBuckets buckets(0, 100, 4);  // 25 s each
    buckets.add(0, 10);
    buckets.add(24, 14);
    buckets.add(25, 1);
    buckets.add(100, 7);   // the last instant goes into the last bucket
    buckets.add(101, 99);  // outside: ignored
    ASSERT_EQ(buckets.buckets().size(), 4U);
    EXPECT_EQ(buckets.buckets()[0].count, 2U);
    EXPECT_DOUBLE_EQ(buckets.buckets()[0].min, 10);
    EXPECT_DOUBLE_EQ(buckets.buckets()[0].max, 14);
    EXPECT_DOUBLE_EQ(buckets.buckets()[0].mean(), 12);
    EXPECT_EQ(buckets.buckets()[1].count, 1U);
    EXPECT_EQ(buckets.buckets()[2].count, 0U);
    EXPECT_EQ(buckets.buckets()[3].count, 1U);
    EXPECT_DOUBLE_EQ(buckets.bucket_time(0), 12.5);
    const auto range = buckets.value_range();
    ASSERT_TRUE(range);
    EXPECT_DOUBLE_EQ(range->first, 1);
    EXPECT_DOUBLE_EQ(range->second, 14);
}

TEST(TimeBuckets, EmptyHasNoRange)
{
    EXPECT_FALSE(TimeBuckets(5, 5, 10).value_range());
}

TEST(TrailingMean, OnlyTheWindow)
{
    TrailingMean mean(7 * 86400);
    EXPECT_DOUBLE_EQ(mean.add(0, 70), 70);
    EXPECT_DOUBLE_EQ(mean.add(86400, 72), 71);
    EXPECT_DOUBLE_EQ(mean.add(7 * 86400, 74), 73);  // day 0 is out: (72 + 74) / 2
}

TEST(ReportText, ValuesEscapesAndUris)
{
    EXPECT_EQ(format_value(55.20, 1), "55.2");
    EXPECT_EQ(format_value(120.0, 1), "120");
    EXPECT_EQ(format_value(-0.01, 1), "0");
    EXPECT_EQ(html_escape(R"(<b a="x">&'</b>)"), "&lt;b a=&quot;x&quot;&gt;&amp;&#39;&lt;/b&gt;");
    EXPECT_EQ(uri_escape("a b,1.5:x\n#%"), "a%20b,1.5:x%0A%23%25");
}

TEST(Chart, NothingToDrawSaysSo)
{
    TimeBuckets empty(0, 10, 5);
    const std::string html =
        render_chart({"Weight", "kg", {}, {{"weight", "#000", &empty, true, nullptr}}, {}, {}});
    EXPECT_EQ(html, "<p class=\"empty\">Weight: no values in this period.</p>\n");
}

TEST(Chart, GapsBreakTheLine)
{
    TimeBuckets values(0, 100, 4);
    values.add(0, 10);
    values.add(30, 12);
    values.add(90, 11);  // bucket 2 is empty: two runs, the second a lone dot
    const std::string svg =
        render_chart({"W", "kg", {}, {{"w", "#123456", &values, false, nullptr}}, {}, {}});
    EXPECT_EQ(svg.find("<svg"), svg.rfind("<svg"));
    std::size_t lines = 0;
    for (auto at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) {
        ++lines;
    }
    EXPECT_EQ(lines, 1U);
    EXPECT_NE(svg.find("<circle"), std::string::npos);
    EXPECT_NE(svg.find("W (kg)"), std::string::npos);
}

}  // namespace
}  // namespace ble2garmin::report

namespace ble2garmin::app {
namespace {

TEST(DaemonStatusFile, RoundTripAndWrongTypesSaid)
{
    DaemonStatus status;
    status.pid = 812;
    status.started_at = 1764746400;
    status.updated_at = 1764750000;
    status.scanner_state = "scanning";
    status.adapter = "hci0";
    status.devices = {{"mi_scale", "C8:47:8C:A1:B2:C3", 1764749990, -67, std::nullopt, std::nullopt},
                      {"omron", "00:5F:BF:4A:11:22", 1764749000, -71, 1764748800,
                       SessionStatus{false, 1764749010, "the cuff refused the key (answer 81 01)", 0}}};
    status.users = {{"adam", 1764746700, 55.2, std::nullopt, 0, 0, 0}};
    status.accounts = {{"adam@example.com", 2, 1}};
    status.sinks = {"2 uploads pending"};
    status.recorded = 3;
    const auto parsed = parse_daemon_status(format_daemon_status(status));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->pid, 812);
    EXPECT_EQ(parsed->scanner_state, "scanning");
    ASSERT_EQ(parsed->devices.size(), 2U);
    EXPECT_EQ(parsed->devices[0].rssi_dbm, -67);
    EXPECT_FALSE(parsed->devices[0].last_reading);
    EXPECT_FALSE(parsed->devices[0].session);  // a scale has no sessions
    ASSERT_TRUE(parsed->devices[1].session);
    EXPECT_FALSE(parsed->devices[1].session->running);
    EXPECT_EQ(parsed->devices[1].session->ended_at, 1764749010);
    EXPECT_EQ(parsed->devices[1].session->error, "the cuff refused the key (answer 81 01)");
    EXPECT_EQ(parsed->devices[1].session->new_records, 0U);
    ASSERT_EQ(parsed->users.size(), 1U);
    EXPECT_EQ(parsed->users[0].scale_at, 1764746700);
    EXPECT_DOUBLE_EQ(parsed->users[0].weight_kg, 55.2);
    ASSERT_EQ(parsed->accounts.size(), 1U);
    EXPECT_EQ(parsed->accounts[0].parked, 1U);
    EXPECT_EQ(parsed->recorded, 3U);
    EXPECT_FALSE(parse_daemon_status("not json"));
    EXPECT_FALSE(parse_daemon_status(R"({"pid": "812"})"));
}

}  // namespace
}  // namespace ble2garmin::app
