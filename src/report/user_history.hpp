#pragma once
// What the report draws for one user, collected from the backups in two streaming passes: the first
// finds the time range (first() / last()), the second fills the buckets of every chart and keeps the
// last few readings for the table. Memory is the bucket count and the table, never the history.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "ble2garmin/user.hpp"

#include "report/time_buckets.hpp"
#include "store/history/history_rows.hpp"

namespace ble2garmin::report {

inline constexpr std::size_t k_chart_buckets = 200;
inline constexpr std::size_t k_table_rows = 15;
inline constexpr std::int64_t k_average_window_seconds = 7 * 86400;

// Pass one: the time range of a user's rows of one kind.
struct TimeRange {
    std::optional<std::int64_t> first;
    std::optional<std::int64_t> last;
    std::size_t rows = 0;
    void add(std::int64_t unix_time);
};

// Pass two, scale rows.
class ScaleHistory {
public:
    explicit ScaleHistory(const TimeRange& range);
    void add(const store::ScaleHistoryRow& row);

    const TimeRange& range() const { return m_range; }
    TimeBuckets weight{0, 1, k_chart_buckets};
    TimeBuckets weight_average{0, 1, k_chart_buckets};
    TimeBuckets body_fat{0, 1, k_chart_buckets};
    TimeBuckets body_fat_average{0, 1, k_chart_buckets};
    TimeBuckets muscle{0, 1, k_chart_buckets};
    TimeBuckets water{0, 1, k_chart_buckets};
    TimeBuckets visceral{0, 1, k_chart_buckets};
    std::deque<store::ScaleHistoryRow> last_rows;  // newest last, at most k_table_rows
    std::optional<store::ScaleHistoryRow> first_row;

private:
    TimeRange m_range;
    TrailingMean m_weight_mean{k_average_window_seconds};
    TrailingMean m_fat_mean{k_average_window_seconds};
};

// Pass two, blood-pressure rows; categories by the configured standard (store/omron/omron_row.hpp).
class BloodPressureHistory {
public:
    BloodPressureHistory(const TimeRange& range, std::string standard);
    void add(const store::BloodPressureHistoryRow& row);

    const TimeRange& range() const { return m_range; }
    const std::string& standard() const { return m_standard; }
    TimeBuckets systolic{0, 1, k_chart_buckets};
    TimeBuckets diastolic{0, 1, k_chart_buckets};
    TimeBuckets pulse{0, 1, k_chart_buckets};
    std::map<std::string, std::size_t> categories;         // category word → readings
    std::deque<store::BloodPressureHistoryRow> last_rows;  // newest last

private:
    TimeRange m_range;
    std::string m_standard;
};

}  // namespace ble2garmin::report
