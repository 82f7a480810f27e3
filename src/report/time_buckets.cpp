#include "report/time_buckets.hpp"

#include <algorithm>

namespace ble2garmin::report {

TimeBuckets::TimeBuckets(std::int64_t first, std::int64_t last, std::size_t count)
    : m_first(first), m_last(std::max(last, first + 1)), m_buckets(std::max<std::size_t>(count, 1))
{
    m_width = static_cast<double>(m_last - m_first) / static_cast<double>(m_buckets.size());
}

void TimeBuckets::add(std::int64_t unix_time, double value)
{
    if (unix_time < m_first || unix_time > m_last) {
        return;
    }
    const auto index = std::min(static_cast<std::size_t>(static_cast<double>(unix_time - m_first) / m_width),
                                m_buckets.size() - 1);
    Bucket& bucket = m_buckets[index];
    if (bucket.count == 0) {
        bucket.min = value;
        bucket.max = value;
    } else {
        bucket.min = std::min(bucket.min, value);
        bucket.max = std::max(bucket.max, value);
    }
    bucket.sum += value;
    ++bucket.count;
}

double TimeBuckets::bucket_time(std::size_t index) const
{
    return static_cast<double>(m_first) + (static_cast<double>(index) + 0.5) * m_width;
}

std::optional<std::pair<double, double>> TimeBuckets::value_range() const
{
    std::optional<std::pair<double, double>> range;
    for (const Bucket& bucket : m_buckets) {
        if (bucket.count == 0) {
            continue;
        }
        if (!range) {
            range = std::make_pair(bucket.min, bucket.max);
        } else {
            range->first = std::min(range->first, bucket.min);
            range->second = std::max(range->second, bucket.max);
        }
    }
    return range;
}

double TrailingMean::add(std::int64_t unix_time, double value)
{
    m_values.emplace_back(unix_time, value);
    m_sum += value;
    while (!m_values.empty() && m_values.front().first <= unix_time - m_window) {
        m_sum -= m_values.front().second;
        m_values.pop_front();
    }
    return m_sum / static_cast<double>(m_values.size());
}

}  // namespace ble2garmin::report
