#pragma once
// A Workout (what the TCX says) → the FIT activity to write (docs/rowing.md "What is computed"):
//
// - The session runs from the first Lap's StartTime (or an earlier trackpoint) to the last Lap's
//   StartTime + TotalTimeSeconds (or a later trackpoint); timer time = elapsed time = end − start
//   (TCX has no pauses). Its distance is the larger of the Laps' DistanceMeters and the last
//   trackpoint's, counted from 0 at the start.
// - Laps every `split_m` metres; the last one is whatever is left (kept however short). A lap
//   boundary's time is interpolated on the distance timeline, and lap times (ms) and distances (cm)
//   are differences of rounded boundaries, so the laps add up exactly to the session.
// - Strokes: the TCX total (Σ LX Steps), else the stroke rate integrated over time. Calories: the
//   TCX total (Σ Lap Calories when any is non-zero), else rowing_kcal (calories.hpp). Both are
//   shared among laps by the stroke rate / energy each lap holds, exactly (apportion.hpp).
// - Averages over the samples that have a value: heart rate, cadence (strokes/min, leaving out 0:
//   not rowing), power (0 included: time spent counts); average speed = distance / timer time;
//   maximum speed = the fastest sample, never less than the average.

#include <cstdint>
#include <optional>

#include "ble2garmin/result.hpp"

#include "fit/activity_file.hpp"
#include "rowing/workout.hpp"

namespace ble2garmin::rowing {

inline constexpr double k_default_split_m = 500;
inline constexpr double k_min_split_m = 10;
inline constexpr double k_max_split_m = 100'000;
// More laps than this is not a rowing session (1,000 km of 100 m laps): a bound on memory.
inline constexpr std::size_t k_max_laps = 10'000;

struct ActivityOptions {
    double split_m = k_default_split_m;
    // activity.local_timestamp − timestamp (the session's local UTC offset).
    std::int32_t utc_offset_s = 0;
};

// The FIT activity for `workout`. An Error when the split is outside [10, 100000] m, the workout has
// no trackpoint, or it would make more than k_max_laps laps.
Result<fit::ActivityFile> build_activity(const Workout& workout, const ActivityOptions& options = {});

}  // namespace ble2garmin::rowing
