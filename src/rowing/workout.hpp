#pragma once
// A rowing session as a TCX file describes it (shared/spec/rowing-tcx.md §1–2), before any FIT
// decision: what the reader found, in the file's units, nothing computed. Absent values stay
// absent (a heart rate of 0, which Coxswain writes when there is no strap, is absent).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ble2garmin::rowing {

// One sample (TCX Trackpoint). Times are Unix milliseconds, UTC.
struct Trackpoint {
    std::int64_t time_ms = 0;
    std::optional<double> distance_m;  // cumulative from the start of the activity
    std::optional<int> heart_rate;     // bpm, 1..255
    std::optional<int> cadence;        // strokes/min (TCX Cadence), 0..254
    std::optional<double> speed_mps;   // TPX Speed
    std::optional<int> power_w;        // TPX Watts
};

// One TCX Lap with the trackpoints of its Track(s).
struct Lap {
    std::int64_t start_ms = 0;             // @StartTime
    std::optional<double> total_time_s;    // TotalTimeSeconds
    std::optional<double> distance_m;      // DistanceMeters
    std::optional<int> calories;           // Calories (kcal, the device's own figure)
    std::optional<std::uint32_t> strokes;  // LX Steps (Coxswain: total strokes of the session)
    std::vector<Trackpoint> trackpoints;
};

struct Workout {
    std::string sport;      // Activity@Sport: Running | Biking | Other
    std::string name;       // Training/Plan/Name (Coxswain: the program), may be empty
    std::vector<Lap> laps;  // at least one
};

// Number of trackpoints over all laps.
std::size_t trackpoint_count(const Workout& workout);

}  // namespace ble2garmin::rowing
