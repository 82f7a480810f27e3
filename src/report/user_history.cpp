#include "report/user_history.hpp"

#include <algorithm>

#include "store/omron/omron_row.hpp"

namespace ble2garmin::report {
namespace {

template <typename Row>
void keep_last(std::deque<Row>& rows, const Row& row)
{
    // A backup is in time order; a row written out of order still lands in its place.
    auto place = rows.end();
    while (place != rows.begin() && std::prev(place)->unix_time > row.unix_time) {
        --place;
    }
    rows.insert(place, row);
    if (rows.size() > k_table_rows) {
        rows.pop_front();
    }
}

}  // namespace

void TimeRange::add(std::int64_t unix_time)
{
    first = first ? std::min(*first, unix_time) : unix_time;
    last = last ? std::max(*last, unix_time) : unix_time;
    ++rows;
}

ScaleHistory::ScaleHistory(const TimeRange& range) : m_range(range)
{
    const std::int64_t first = range.first.value_or(0);
    const std::int64_t last = range.last.value_or(1);
    for (TimeBuckets* buckets :
         {&weight, &weight_average, &body_fat, &body_fat_average, &muscle, &water, &visceral}) {
        *buckets = TimeBuckets(first, last, k_chart_buckets);
    }
}

void ScaleHistory::add(const store::ScaleHistoryRow& row)
{
    weight.add(row.unix_time, row.weight_kg);
    weight_average.add(row.unix_time, m_weight_mean.add(row.unix_time, row.weight_kg));
    if (row.body_fat_percent) {
        body_fat.add(row.unix_time, *row.body_fat_percent);
        body_fat_average.add(row.unix_time, m_fat_mean.add(row.unix_time, *row.body_fat_percent));
    }
    if (row.muscle_kg) {
        muscle.add(row.unix_time, *row.muscle_kg);
    }
    if (row.water_percent) {
        water.add(row.unix_time, *row.water_percent);
    }
    if (row.visceral_fat) {
        visceral.add(row.unix_time, *row.visceral_fat);
    }
    if (!first_row || row.unix_time < first_row->unix_time) {
        first_row = row;
    }
    keep_last(last_rows, row);
}

BloodPressureHistory::BloodPressureHistory(const TimeRange& range, std::string standard)
    : m_range(range), m_standard(std::move(standard))
{
    const std::int64_t first = range.first.value_or(0);
    const std::int64_t last = range.last.value_or(1);
    for (TimeBuckets* buckets : {&systolic, &diastolic, &pulse}) {
        *buckets = TimeBuckets(first, last, k_chart_buckets);
    }
}

void BloodPressureHistory::add(const store::BloodPressureHistoryRow& row)
{
    systolic.add(row.unix_time, row.systolic);
    diastolic.add(row.unix_time, row.diastolic);
    pulse.add(row.unix_time, row.pulse);
    ++categories[std::string(store::blood_pressure_category(row.systolic, row.diastolic, m_standard))];
    keep_last(last_rows, row);
}

}  // namespace ble2garmin::report
