#include "rowing/distance_timeline.hpp"

#include <algorithm>

namespace ble2garmin::rowing {

DistanceTimeline::DistanceTimeline(std::int64_t start_ms, std::int64_t end_ms, double total_m,
                                   const std::vector<std::pair<std::int64_t, double>>& samples)
{
    m_points.reserve(samples.size() + 2);
    m_points.emplace_back(start_ms, 0.0);
    double highest = 0;
    for (const auto& [time_ms, distance_m] : samples) {
        highest = std::max(highest, distance_m);
        m_points.emplace_back(time_ms, highest);
    }
    m_points.emplace_back(end_ms, std::max(highest, total_m));
}

double DistanceTimeline::time_at(double distance_m) const
{
    if (distance_m <= 0) {
        return static_cast<double>(m_points.front().first);
    }
    // The first point at or beyond the distance; the one before it is below it.
    const auto after = std::lower_bound(m_points.begin(), m_points.end(), distance_m,
                                        [](const auto& point, double d) { return point.second < d; });
    if (after == m_points.end()) {
        return static_cast<double>(m_points.back().first);
    }
    if (after == m_points.begin()) {
        return static_cast<double>(after->first);
    }
    const auto before = after - 1;
    const double fraction = (distance_m - before->second) / (after->second - before->second);
    return static_cast<double>(before->first) + fraction * static_cast<double>(after->first - before->first);
}

}  // namespace ble2garmin::rowing
