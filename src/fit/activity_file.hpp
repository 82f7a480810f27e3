#pragma once
// A FIT activity file (file type 4; shared/spec/fit.md §5, rowing-tcx.md §4): everything is given
// (records, laps with their totals, the session's totals); this writer only lays the messages out:
//
//   local 0 file_id      0 type = 4, 1 manufacturer, 2 product, 3 serial_number, 4 time_created
//   local 1 device_info  253 timestamp, 0 device_index = 0 (the creator), 2 manufacturer, 4 product,
//                        25 source_type = 5 (local)
//   local 2 event        253 timestamp, 0 event = 0 (timer), 1 event_type (0 start / 4 stop_all),
//                        3 data = timer_trigger 0 (manual)
//   local 3 record       253 timestamp, 5 distance ×100, 3 heart_rate, 4 cadence, 6 speed ×1000, 7 power
//   local 4 lap          254 message_index, 253 timestamp (lap end), 0 event = 9 (lap), 1 event_type = 1
//                        (stop), 2 start_time, 7 total_elapsed_time ×1000, 8 total_timer_time ×1000,
//                        9 total_distance ×100, 10 total_cycles, 11 total_calories, 13/14 avg/max
//                        speed ×1000, 15/16 avg/max heart rate, 17/18 avg/max cadence, 19/20 avg/max
//                        power, 23 intensity, 24 lap_trigger, 25 sport, 39 sub_sport, 41 total_work,
//                        63 min_heart_rate
//   local 5 session      the lap's totals under the session's field numbers (7, 8, 9, 10, 11, 14–21,
//                        48 total_work, 64 min_heart_rate), 0 event = 8, 1 event_type = 1, 2 start_time,
//                        5 sport, 6 sub_sport, 25 first_lap_index, 26 num_laps, 28 trigger = 0
//   local 6 activity     253 timestamp, 0 total_timer_time ×1000, 1 num_sessions = 1, 2 type = 0
//                        (manual), 3 event = 26 (activity), 4 event_type = 1 (stop), 5 local_timestamp
//
// in the order file_id, device_info, event start, each lap after its records, event stop_all,
// session, activity — one definition per message. No positions are written (indoor).
// Times are exact to the millisecond where FIT allows it (durations); date_time fields are whole
// seconds, floored.

#include <cstdint>
#include <optional>
#include <vector>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

#include "fit/encoder.hpp"
#include "fit/profile.hpp"

namespace ble2garmin::fit {

// `sport` and `sub_sport` enums (fit.md §2.1).
inline constexpr std::uint8_t k_sport_rowing = 15;
inline constexpr std::uint8_t k_sub_sport_indoor_rowing = 14;
// `lap_trigger` enum.
inline constexpr std::uint8_t k_lap_trigger_manual = 0;
inline constexpr std::uint8_t k_lap_trigger_distance = 2;
inline constexpr std::uint8_t k_lap_trigger_session_end = 7;

struct ActivityRecord {
    SystemTime time;
    std::optional<double> distance_m;  // cumulative
    std::optional<int> heart_rate;     // bpm
    std::optional<int> cadence;        // rpm (strokes/min for rowing)
    std::optional<double> speed_mps;
    std::optional<int> power_w;
};

// What a lap and a session both sum up. Durations in milliseconds and the distance in centimetres,
// so that laps can be made to add up exactly to their session.
struct ActivityTotals {
    SystemTime start;
    std::int64_t elapsed_ms = 0;
    std::int64_t timer_ms = 0;
    std::int64_t distance_cm = 0;
    std::optional<std::uint32_t> cycles;  // strokes
    std::optional<int> calories;          // kcal
    std::optional<double> avg_speed_mps;
    std::optional<double> max_speed_mps;
    std::optional<int> avg_heart_rate;
    std::optional<int> max_heart_rate;
    std::optional<int> min_heart_rate;
    std::optional<int> avg_cadence;
    std::optional<int> max_cadence;
    std::optional<int> avg_power_w;
    std::optional<int> max_power_w;
    std::optional<std::uint32_t> total_work_j;

    SystemTime end() const { return start + std::chrono::milliseconds(elapsed_ms); }
};

struct ActivityLap {
    ActivityTotals totals;
    std::uint8_t trigger = k_lap_trigger_distance;
    // The lap is written after records [0, records_before); non-decreasing from lap to lap.
    std::size_t records_before = 0;
};

struct ActivityFile {
    // file_id / device_info
    SystemTime time_created;
    std::uint32_t serial_number = 1;  // uint32z: 0 is invalid
    std::uint16_t manufacturer = k_manufacturer_development;
    std::uint16_t product = 1;
    std::uint8_t sport = k_sport_rowing;
    std::uint8_t sub_sport = k_sub_sport_indoor_rowing;
    std::int32_t utc_offset_s = 0;  // activity.local_timestamp = end + this

    std::vector<ActivityRecord> records;
    std::vector<ActivityLap> laps;  // at least one
    ActivityTotals session;
};

// The complete FIT file. An Error when there is no lap, a lap's records_before decreases or
// exceeds the records, a value does not fit its field, or a time is outside FIT's date_time range.
Result<Bytes> encode_activity_file(const ActivityFile& activity);

}  // namespace ble2garmin::fit
