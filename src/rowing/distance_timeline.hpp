#pragma once
// The session as distance over time, for cutting it into laps by distance: the start at 0 m, every
// trackpoint that has a distance, and the end at the session's distance. Distances never decrease
// along it (a sample below an earlier one is held at the earlier value), so every distance is first
// reached at exactly one time, found by linear interpolation between the two samples around it.

#include <cstdint>
#include <utility>
#include <vector>

namespace ble2garmin::rowing {

class DistanceTimeline {
public:
    // `samples` are (Unix ms, cumulative m) in time order, all within [start_ms, end_ms];
    // `total_m` ≥ every sample's distance.
    DistanceTimeline(std::int64_t start_ms, std::int64_t end_ms, double total_m,
                     const std::vector<std::pair<std::int64_t, double>>& samples);

    // The Unix time in ms (fractional) at which the distance first reaches `distance_m`: the start for
    // 0 or less, the end for the total distance or more when it is reached only there.
    double time_at(double distance_m) const;

private:
    std::vector<std::pair<std::int64_t, double>> m_points;
};

}  // namespace ble2garmin::rowing
