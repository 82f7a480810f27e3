#include "rowing/activity_builder.hpp"

#include <chrono>
#include <numeric>
#include <string>

#include <gtest/gtest.h>

#include "rowing/tcx_reader.hpp"

namespace ble2garmin::rowing {
namespace {

const std::string k_data = std::string(BLE2GARMIN_TEST_DATA_DIR) + "/rowing/";

std::int64_t unix_ms(SystemTime time)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

fit::ActivityFile build(const std::string& file, double split_m = k_default_split_m)
{
    auto workout = read_tcx_file(k_data + file);
    EXPECT_TRUE(workout.ok()) << workout.error().message;
    auto activity = build_activity(*workout, {split_m, 0});
    EXPECT_TRUE(activity.ok()) << activity.error().message;
    return *activity;
}

// other_app.tcx: 1,200 m at 4 m/s over 300 s, a point every 30 s (distance 120·i, HR 100 + 10·i,
// cadence 24 except 0 at i = 0), no Calories, no Steps, no power or speed. Everything below is
// computed by hand from that description.
TEST(ActivityBuilder, OtherAppSessionTotals)
{
    const fit::ActivityFile activity = build("other_app.tcx");
    const fit::ActivityTotals& s = activity.session;
    EXPECT_EQ(unix_ms(s.start), 1'710'057'600'000);
    EXPECT_EQ(s.elapsed_ms, 300'000);
    EXPECT_EQ(s.timer_ms, 300'000);
    EXPECT_EQ(s.distance_cm, 120'000);
    // Strokes: 24 spm × 30 s = 12 per point for i = 1..9 (i = 0 rows at 0 spm; i = 10 lasts 0 s).
    EXPECT_EQ(s.cycles, 108u);
    // Calories by formula: 2.8 × 4³ = 179.2 W; (3.4416 × 179.2 + 300) kcal/h × 300 s = 76.39 → 76.
    EXPECT_EQ(s.calories, 76);
    EXPECT_EQ(s.avg_heart_rate, 150);
    EXPECT_EQ(s.max_heart_rate, 200);
    EXPECT_EQ(s.min_heart_rate, 100);
    EXPECT_EQ(s.avg_cadence, 24);  // the 0 at the start is not rowing
    EXPECT_EQ(s.max_cadence, 24);
    EXPECT_DOUBLE_EQ(*s.avg_speed_mps, 4.0);
    EXPECT_FALSE(s.max_speed_mps);
    EXPECT_FALSE(s.avg_power_w);
    EXPECT_FALSE(s.total_work_j);
    EXPECT_EQ(activity.records.size(), 11u);
    EXPECT_NE(activity.serial_number, 0u);
}

TEST(ActivityBuilder, OtherAppLapsAreInterpolatedAtEvery500Metres)
{
    const fit::ActivityFile activity = build("other_app.tcx");
    ASSERT_EQ(activity.laps.size(), 3u);
    // 500 m lies between 480 m (120 s) and 600 m (150 s): 120 + 20/120 × 30 = 125 s; 1,000 m at 250 s.
    const std::int64_t start = 1'710'057'600'000;
    const struct {
        std::int64_t start_ms, timer_ms, distance_cm;
        std::uint32_t strokes;
        int calories, avg_hr, max_hr, min_hr;
        std::size_t records_before;
        std::uint8_t trigger;
    } expected[] = {
        // Strokes 4 × 12, 4 × 12, 12; calories 76 shared 150 : 120 : 30 (sample seconds) = 38 / 30 / 8.
        {start, 125'000, 50'000, 48, 38, 120, 140, 100, 5, fit::k_lap_trigger_distance},
        {start + 125'000, 125'000, 50'000, 48, 30, 165, 180, 150, 9, fit::k_lap_trigger_distance},
        {start + 250'000, 50'000, 20'000, 12, 8, 195, 200, 190, 11, fit::k_lap_trigger_session_end},
    };
    for (std::size_t i = 0; i < 3; ++i) {
        const fit::ActivityLap& lap = activity.laps[i];
        EXPECT_EQ(unix_ms(lap.totals.start), expected[i].start_ms) << i;
        EXPECT_EQ(lap.totals.timer_ms, expected[i].timer_ms) << i;
        EXPECT_EQ(lap.totals.elapsed_ms, expected[i].timer_ms) << i;
        EXPECT_EQ(lap.totals.distance_cm, expected[i].distance_cm) << i;
        EXPECT_EQ(lap.totals.cycles, expected[i].strokes) << i;
        EXPECT_EQ(lap.totals.calories, expected[i].calories) << i;
        EXPECT_EQ(lap.totals.avg_heart_rate, expected[i].avg_hr) << i;
        EXPECT_EQ(lap.totals.max_heart_rate, expected[i].max_hr) << i;
        EXPECT_EQ(lap.totals.min_heart_rate, expected[i].min_hr) << i;
        EXPECT_EQ(lap.records_before, expected[i].records_before) << i;
        EXPECT_EQ(lap.trigger, expected[i].trigger) << i;
        EXPECT_DOUBLE_EQ(*lap.totals.avg_speed_mps, 4.0) << i;
    }
}

TEST(ActivityBuilder, OtherSplitLengths)
{
    // 1,200 m by 400 m: exactly three laps, no empty fourth; by 1,000 m: 1,000 + 200.
    EXPECT_EQ(build("other_app.tcx", 400).laps.size(), 3u);
    const auto laps = build("other_app.tcx", 1000).laps;
    ASSERT_EQ(laps.size(), 2u);
    EXPECT_EQ(laps[0].totals.timer_ms, 250'000);
    EXPECT_EQ(laps[1].totals.distance_cm, 20'000);
}

// The acceptance for the real Coxswain session: 9,999 m in 20 laps (19 × 500 m and 499 m)
// adding up to the session; strokes = the TCX's Steps (849), calories = its Calories (639), timer
// time = its TotalTimeSeconds (2,295 s).
TEST(ActivityBuilder, CoxswainTenKilometres)
{
    const fit::ActivityFile activity = build("coxswain_10k.tcx");
    const fit::ActivityTotals& s = activity.session;
    EXPECT_EQ(s.distance_cm, 999'900);
    EXPECT_EQ(s.timer_ms, 2'295'000);
    EXPECT_EQ(s.elapsed_ms, 2'295'000);
    EXPECT_EQ(s.cycles, 849u);
    EXPECT_EQ(s.calories, 639);
    ASSERT_EQ(activity.laps.size(), 20u);
    std::int64_t distance = 0, timer = 0;
    std::uint64_t strokes = 0;
    int calories = 0;
    for (std::size_t i = 0; i < activity.laps.size(); ++i) {
        const fit::ActivityTotals& lap = activity.laps[i].totals;
        EXPECT_EQ(lap.distance_cm, i < 19 ? 50'000 : 49'900) << i;
        EXPECT_EQ(unix_ms(lap.start), 1'606'225'596'000 + timer) << i;  // laps follow without gaps
        distance += lap.distance_cm;
        timer += lap.timer_ms;
        strokes += lap.cycles.value_or(0);
        calories += lap.calories.value_or(0);
    }
    EXPECT_EQ(distance, s.distance_cm);
    EXPECT_EQ(timer, s.timer_ms);
    EXPECT_EQ(strokes, 849u);
    EXPECT_EQ(calories, 639);
    EXPECT_EQ(activity.laps.back().records_before, 2295u);
}

TEST(ActivityBuilder, RejectsBadSplitAndEmptyWorkout)
{
    Workout workout;
    workout.laps.emplace_back().start_ms = 1'710'057'600'000;
    EXPECT_FALSE(build_activity(workout).ok());
    workout.laps[0].trackpoints.push_back({1'710'057'600'000, 10.0, {}, {}, {}, {}});
    EXPECT_TRUE(build_activity(workout).ok());
    EXPECT_FALSE(build_activity(workout, {0, 0}).ok());
    EXPECT_FALSE(build_activity(workout, {-500, 0}).ok());
}

TEST(ActivityBuilder, FallingDistanceIsHeldAndAZeroDistanceSessionIsOneLap)
{
    Workout workout;
    Lap& lap = workout.laps.emplace_back();
    lap.start_ms = 1'710'057'600'000;
    lap.trackpoints = {{lap.start_ms, 600.0, {}, {}, {}, {}}, {lap.start_ms + 1000, 100.0, {}, {}, {}, {}}};
    auto activity = build_activity(workout);
    ASSERT_TRUE(activity.ok());
    EXPECT_EQ(activity->records[1].distance_m, 600.0);
    EXPECT_EQ(activity->laps.size(), 2u);  // 500 + 100

    lap.trackpoints = {{lap.start_ms, {}, 90, {}, {}, {}}};
    activity = build_activity(workout);
    ASSERT_TRUE(activity.ok());
    ASSERT_EQ(activity->laps.size(), 1u);
    EXPECT_EQ(activity->session.distance_cm, 0);
    EXPECT_EQ(activity->session.calories, 0);  // no time, no energy; never negative
}

}  // namespace
}  // namespace ble2garmin::rowing
