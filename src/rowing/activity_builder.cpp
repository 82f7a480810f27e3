#include "rowing/activity_builder.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "rowing/apportion.hpp"
#include "rowing/calories.hpp"
#include "rowing/distance_timeline.hpp"

namespace ble2garmin::rowing {
namespace {

SystemTime time_of_ms(std::int64_t unix_ms)
{
    return SystemTime{std::chrono::duration_cast<SystemTime::duration>(std::chrono::milliseconds(unix_ms))};
}

// All trackpoints of all laps, in time order (a stable sort keeps the file's order within a time).
std::vector<Trackpoint> sorted_trackpoints(const Workout& workout)
{
    std::vector<Trackpoint> points;
    points.reserve(trackpoint_count(workout));
    for (const Lap& lap : workout.laps) {
        points.insert(points.end(), lap.trackpoints.begin(), lap.trackpoints.end());
    }
    std::stable_sort(points.begin(), points.end(),
                     [](const Trackpoint& a, const Trackpoint& b) { return a.time_ms < b.time_ms; });
    return points;
}

struct SessionSpan {
    std::int64_t start_ms = 0;
    std::int64_t end_ms = 0;
    double distance_m = 0;
};

SessionSpan session_span(const Workout& workout, const std::vector<Trackpoint>& points)
{
    SessionSpan span;
    span.start_ms = std::min(workout.laps.front().start_ms, points.front().time_ms);
    span.end_ms = points.back().time_ms;
    double laps_distance = 0;
    for (const Lap& lap : workout.laps) {
        const auto lap_ms = static_cast<std::int64_t>(std::llround(lap.total_time_s.value_or(0) * 1000));
        span.end_ms = std::max(span.end_ms, lap.start_ms + lap_ms);
        laps_distance += lap.distance_m.value_or(0);
    }
    double points_distance = 0;
    for (const Trackpoint& point : points) {
        points_distance = std::max(points_distance, point.distance_m.value_or(0));
    }
    span.distance_m = std::max(laps_distance, points_distance);
    return span;
}

// How long each sample stands for: until the next one; the last one until the session's end.
std::vector<double> sample_seconds(const std::vector<Trackpoint>& points, std::int64_t end_ms)
{
    std::vector<double> seconds(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        const std::int64_t next = i + 1 < points.size() ? points[i + 1].time_ms : end_ms;
        seconds[i] = static_cast<double>(std::max<std::int64_t>(0, next - points[i].time_ms)) / 1000.0;
    }
    return seconds;
}

// The power a sample stands for: its own, else estimated from its speed, else from the session's.
double sample_power_w(const Trackpoint& point, double session_speed_mps)
{
    if (point.power_w) {
        return *point.power_w;
    }
    return power_from_speed_w(point.speed_mps.value_or(session_speed_mps));
}

std::optional<int> rounded_mean(double sum, std::size_t count)
{
    if (count == 0) {
        return std::nullopt;
    }
    return static_cast<int>(std::lround(sum / static_cast<double>(count)));
}

// Averages and extremes over records [first, last).
void fill_sample_stats(fit::ActivityTotals& totals, const std::vector<Trackpoint>& points, std::size_t first,
                       std::size_t last)
{
    double heart_sum = 0, cadence_sum = 0, power_sum = 0;
    std::size_t heart_count = 0, cadence_count = 0, power_count = 0;
    for (std::size_t i = first; i < last; ++i) {
        const Trackpoint& point = points[i];
        if (point.heart_rate) {
            heart_sum += *point.heart_rate;
            ++heart_count;
            totals.max_heart_rate = std::max(totals.max_heart_rate.value_or(0), *point.heart_rate);
            totals.min_heart_rate = std::min(totals.min_heart_rate.value_or(255), *point.heart_rate);
        }
        if (point.cadence) {
            totals.max_cadence = std::max(totals.max_cadence.value_or(0), *point.cadence);
            if (*point.cadence > 0) {
                cadence_sum += *point.cadence;
                ++cadence_count;
            }
        }
        if (point.power_w) {
            power_sum += *point.power_w;
            ++power_count;
            totals.max_power_w = std::max(totals.max_power_w.value_or(0), *point.power_w);
        }
        if (point.speed_mps) {
            totals.max_speed_mps = std::max(totals.max_speed_mps.value_or(0.0), *point.speed_mps);
        }
    }
    totals.avg_heart_rate = rounded_mean(heart_sum, heart_count);
    totals.avg_cadence = rounded_mean(cadence_sum, cadence_count);
    totals.avg_power_w = rounded_mean(power_sum, power_count);
    if (power_count > 0 && totals.timer_ms > 0) {
        const double joules =
            power_sum / static_cast<double>(power_count) * static_cast<double>(totals.timer_ms) / 1000.0;
        totals.total_work_j = static_cast<std::uint32_t>(std::min(std::llround(joules), 0xFFFF'FFFEll));
    }
    if (totals.timer_ms > 0) {
        totals.avg_speed_mps =
            static_cast<double>(totals.distance_cm) / 100.0 / (static_cast<double>(totals.timer_ms) / 1000.0);
        // Coxswain's speed samples lag its distance (the first seconds say 0.0 m/s while the
        // distance grows), so their maximum can lie below the true average: never show max < avg.
        if (totals.max_speed_mps) {
            totals.max_speed_mps = std::max(*totals.max_speed_mps, *totals.avg_speed_mps);
        }
    }
}

// Strokes of the session: the TCX's (Σ LX Steps), else the stroke rate integrated over time.
std::optional<std::uint32_t> session_strokes(const Workout& workout,
                                             const std::vector<double>& stroke_estimates)
{
    std::optional<std::uint64_t> steps;
    for (const Lap& lap : workout.laps) {
        if (lap.strokes) {
            steps = steps.value_or(0) + *lap.strokes;
        }
    }
    if (!steps) {
        const double estimate = std::accumulate(stroke_estimates.begin(), stroke_estimates.end(), 0.0);
        if (estimate <= 0) {
            return std::nullopt;
        }
        steps = static_cast<std::uint64_t>(std::llround(estimate));
    }
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(*steps, 0xFFFF'FFFEu));
}

// Calories of the session: the TCX's (Σ Lap Calories when any is non-zero), else the formula.
int session_calories(const Workout& workout, double formula_kcal)
{
    long tcx = 0;
    for (const Lap& lap : workout.laps) {
        tcx += lap.calories.value_or(0);
    }
    const long kcal = tcx > 0 ? tcx : std::lround(formula_kcal);
    return static_cast<int>(std::clamp<long>(kcal, 0, 65534));
}

}  // namespace

Result<fit::ActivityFile> build_activity(const Workout& workout, const ActivityOptions& options)
{
    if (!(options.split_m >= k_min_split_m && options.split_m <= k_max_split_m)) {
        return make_error("the lap split must be between " + std::to_string(static_cast<int>(k_min_split_m)) +
                          " and " + std::to_string(static_cast<int>(k_max_split_m)) + " m");
    }
    if (workout.laps.empty() || trackpoint_count(workout) == 0) {
        return make_error("the workout has no trackpoints");
    }
    const std::vector<Trackpoint> points = sorted_trackpoints(workout);
    const SessionSpan span = session_span(workout, points);

    if (span.distance_m / options.split_m > static_cast<double>(k_max_laps)) {
        return make_error("more than " + std::to_string(k_max_laps) + " laps of " +
                          std::to_string(static_cast<int>(options.split_m)) + " m");
    }
    fit::ActivityFile activity;
    activity.utc_offset_s = options.utc_offset_s;
    fit::ActivityTotals& session = activity.session;
    session.start = time_of_ms(span.start_ms);
    session.elapsed_ms = span.end_ms - span.start_ms;
    session.timer_ms = session.elapsed_ms;
    session.distance_cm = std::llround(span.distance_m * 100);
    activity.time_created = session.start;

    // Records: the distance held at its highest value so far (cumulative distance never falls).
    std::vector<std::pair<std::int64_t, double>> distances;
    double highest = 0;
    activity.records.reserve(points.size());
    for (const Trackpoint& point : points) {
        fit::ActivityRecord record{time_of_ms(point.time_ms), {},           point.heart_rate, point.cadence,
                                   point.speed_mps,           point.power_w};
        if (point.distance_m) {
            highest = std::max(highest, *point.distance_m);
            record.distance_m = highest;
            distances.emplace_back(point.time_ms, highest);
        }
        activity.records.push_back(record);
    }

    // Lap boundaries: every split_m metres, the end; in rounded ms and cm.
    const DistanceTimeline timeline(span.start_ms, span.end_ms, span.distance_m, distances);
    std::vector<std::int64_t> boundary_ms{span.start_ms};
    std::vector<std::int64_t> boundary_cm{0};
    for (double at = options.split_m; std::llround(at * 100) < session.distance_cm; at += options.split_m) {
        boundary_ms.push_back(
            std::clamp<std::int64_t>(std::llround(timeline.time_at(at)), boundary_ms.back(), span.end_ms));
        boundary_cm.push_back(std::llround(at * 100));
    }
    boundary_ms.push_back(span.end_ms);
    boundary_cm.push_back(session.distance_cm);
    const std::size_t lap_count = boundary_ms.size() - 1;

    // Per-sample stroke and energy estimates, summed per lap, share the totals among the laps.
    const double session_speed =
        session.timer_ms > 0 ? span.distance_m / (static_cast<double>(session.timer_ms) / 1000.0) : 0.0;
    const std::vector<double> seconds = sample_seconds(points, span.end_ms);
    std::vector<double> strokes(points.size()), kcal(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        strokes[i] = points[i].cadence.value_or(0) * seconds[i] / 60.0;
        kcal[i] = rowing_kcal(sample_power_w(points[i], session_speed), seconds[i]);
    }
    // The time before the first sample (the start lies before it) is rowed at the session's pace.
    const double lead_kcal =
        rowing_kcal(power_from_speed_w(session_speed),
                    static_cast<double>(points.front().time_ms - span.start_ms) / 1000.0);
    session.cycles = session_strokes(workout, strokes);
    session.calories = session_calories(workout, lead_kcal + std::accumulate(kcal.begin(), kcal.end(), 0.0));

    std::vector<double> lap_strokes(lap_count), lap_kcal(lap_count);
    std::size_t next = 0;
    for (std::size_t lap = 0; lap < lap_count; ++lap) {
        fit::ActivityLap out;
        out.totals.start = time_of_ms(boundary_ms[lap]);
        out.totals.elapsed_ms = boundary_ms[lap + 1] - boundary_ms[lap];
        out.totals.timer_ms = out.totals.elapsed_ms;
        out.totals.distance_cm = boundary_cm[lap + 1] - boundary_cm[lap];
        out.trigger = lap + 1 < lap_count ? fit::k_lap_trigger_distance : fit::k_lap_trigger_session_end;
        const std::size_t first = next;
        const bool last_lap = lap + 1 == lap_count;
        while (next < points.size() && (last_lap || points[next].time_ms < boundary_ms[lap + 1])) {
            lap_strokes[lap] += strokes[next];
            lap_kcal[lap] += kcal[next];
            ++next;
        }
        out.records_before = next;
        fill_sample_stats(out.totals, points, first, next);
        activity.laps.push_back(out);
    }
    lap_kcal.front() += lead_kcal;
    if (session.cycles) {
        // Laps without a stroke rate share by distance.
        const bool any_rate =
            std::any_of(lap_strokes.begin(), lap_strokes.end(), [](double s) { return s > 0; });
        std::vector<double> weights = lap_strokes;
        if (!any_rate) {
            for (std::size_t lap = 0; lap < lap_count; ++lap) {
                weights[lap] = static_cast<double>(activity.laps[lap].totals.distance_cm);
            }
        }
        const auto parts = apportion(*session.cycles, weights);
        for (std::size_t lap = 0; lap < lap_count; ++lap) {
            activity.laps[lap].totals.cycles = static_cast<std::uint32_t>(parts[lap]);
        }
    }
    const auto kcal_parts = apportion(static_cast<std::uint64_t>(*session.calories), lap_kcal);
    for (std::size_t lap = 0; lap < lap_count; ++lap) {
        activity.laps[lap].totals.calories = static_cast<int>(kcal_parts[lap]);
    }
    fill_sample_stats(session, points, 0, points.size());

    // A serial that differs between sessions but not between conversions of the same one, so a
    // repeated upload is Garmin's 409 "duplicate" rather than a second activity (FNV-1a, 32 bit).
    std::uint32_t hash = 2'166'136'261u;
    for (const std::int64_t value :
         {span.start_ms, session.distance_cm, session.timer_ms, static_cast<std::int64_t>(points.size())}) {
        for (int byte = 0; byte < 8; ++byte) {
            hash = (hash ^ static_cast<std::uint8_t>(static_cast<std::uint64_t>(value) >> (8 * byte))) *
                   16'777'619u;
        }
    }
    activity.serial_number = hash == 0 ? 1 : hash;
    return activity;
}

}  // namespace ble2garmin::rowing
