#pragma once
// Downsampling for drawing: a time range cut into a fixed number of buckets (about one per pixel
// column of a chart), each keeping the minimum, maximum, sum and count of the values that fell into
// it. Ten thousand weighings and ten draw the same number of points, and the memory is the bucket
// count whatever the history — the rows themselves are never kept.

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

namespace ble2garmin::report {

struct Bucket {
    double min = 0;
    double max = 0;
    double sum = 0;
    std::size_t count = 0;
    double mean() const { return count == 0 ? 0 : sum / static_cast<double>(count); }
};

class TimeBuckets {
public:
    // `count` buckets over [first, last] (Unix s); a single instant gets one bucket's width of 1 s.
    TimeBuckets(std::int64_t first, std::int64_t last, std::size_t count);

    // Adds a value at `unix_time`; times outside the range are ignored.
    void add(std::int64_t unix_time, double value);

    const std::vector<Bucket>& buckets() const { return m_buckets; }
    // The middle of bucket `index` (Unix s).
    double bucket_time(std::size_t index) const;
    std::int64_t first() const { return m_first; }
    std::int64_t last() const { return m_last; }
    // The smallest and largest value added; empty when nothing was.
    std::optional<std::pair<double, double>> value_range() const;

private:
    std::int64_t m_first;
    std::int64_t m_last;
    double m_width;
    std::vector<Bucket> m_buckets;
};

// The mean of the values of the last `window` seconds, fed in time order (a backup is in time order;
// a value older than the newest is taken as it comes). Keeps only the values inside the window.
class TrailingMean {
public:
    explicit TrailingMean(std::int64_t window_seconds) : m_window(window_seconds) {}
    // Adds a value and returns the mean of the window ending at `unix_time`.
    double add(std::int64_t unix_time, double value);

private:
    std::int64_t m_window;
    std::deque<std::pair<std::int64_t, double>> m_values;
    double m_sum = 0;
};

}  // namespace ble2garmin::report
