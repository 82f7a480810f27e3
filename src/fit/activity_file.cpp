#include "fit/activity_file.hpp"

#include <chrono>
#include <string>
#include <utility>

#include "fit/date_time.hpp"

namespace ble2garmin::fit {
namespace {

constexpr std::uint8_t k_local_file_id = 0;
constexpr std::uint8_t k_local_device_info = 1;
constexpr std::uint8_t k_local_event = 2;
constexpr std::uint8_t k_local_record = 3;
constexpr std::uint8_t k_local_lap = 4;
constexpr std::uint8_t k_local_session = 5;
constexpr std::uint8_t k_local_activity = 6;

// Scales (fit.md §2): durations 1 ms, distance 1 cm, speed 1 mm/s per unit.
constexpr double k_scale_distance = 100;
constexpr double k_scale_speed = 1000;

// `event` and `event_type` enums.
constexpr std::uint8_t k_event_timer = 0;
constexpr std::uint8_t k_event_session = 8;
constexpr std::uint8_t k_event_lap = 9;
constexpr std::uint8_t k_event_activity = 26;
constexpr std::uint8_t k_event_type_start = 0;
constexpr std::uint8_t k_event_type_stop = 1;
constexpr std::uint8_t k_event_type_stop_all = 4;
constexpr std::uint8_t k_timer_trigger_manual = 0;
constexpr std::uint8_t k_source_type_local = 5;
constexpr std::uint8_t k_intensity_active = 0;

// The field numbers a lap and a session give the same totals (they differ from field 14 on).
struct TotalsFields {
    std::uint8_t avg_speed, max_speed, avg_heart_rate, max_heart_rate, avg_cadence, max_cadence, avg_power,
        max_power, total_work, min_heart_rate;
};
constexpr TotalsFields k_lap_fields{13, 14, 15, 16, 17, 18, 19, 20, 41, 63};
constexpr TotalsFields k_session_fields{14, 15, 16, 17, 18, 19, 20, 21, 48, 64};
// Fields 7–11 are the same in both: elapsed, timer, distance, cycles, calories.
constexpr std::uint8_t k_total_elapsed_time = 7;
constexpr std::uint8_t k_total_timer_time = 8;
constexpr std::uint8_t k_total_distance = 9;
constexpr std::uint8_t k_total_cycles = 10;
constexpr std::uint8_t k_total_calories = 11;

std::vector<FieldDefinition> totals_definition(const TotalsFields& f)
{
    return {{k_total_elapsed_time, BaseType::uint32}, {k_total_timer_time, BaseType::uint32},
            {k_total_distance, BaseType::uint32},     {k_total_cycles, BaseType::uint32},
            {k_total_calories, BaseType::uint16},     {f.avg_speed, BaseType::uint16},
            {f.max_speed, BaseType::uint16},          {f.avg_heart_rate, BaseType::uint8},
            {f.max_heart_rate, BaseType::uint8},      {f.avg_cadence, BaseType::uint8},
            {f.max_cadence, BaseType::uint8},         {f.avg_power, BaseType::uint16},
            {f.max_power, BaseType::uint16},          {f.total_work, BaseType::uint32},
            {f.min_heart_rate, BaseType::uint8}};
}

void set_totals(Message& message, const ActivityTotals& t, const TotalsFields& f)
{
    message.set(k_total_elapsed_time, static_cast<std::uint64_t>(t.elapsed_ms))
        .set(k_total_timer_time, static_cast<std::uint64_t>(t.timer_ms))
        .set(k_total_distance, static_cast<std::uint64_t>(t.distance_cm))
        .set(k_total_cycles, t.cycles)
        .set(k_total_calories, t.calories)
        .set_scaled(f.avg_speed, t.avg_speed_mps, k_scale_speed)
        .set_scaled(f.max_speed, t.max_speed_mps, k_scale_speed)
        .set(f.avg_heart_rate, t.avg_heart_rate)
        .set(f.max_heart_rate, t.max_heart_rate)
        .set(f.avg_cadence, t.avg_cadence)
        .set(f.max_cadence, t.max_cadence)
        .set(f.avg_power, t.avg_power_w)
        .set(f.max_power, t.max_power_w)
        .set(f.total_work, t.total_work_j)
        .set(f.min_heart_rate, t.min_heart_rate);
}

MessageDefinition file_id_definition()
{
    return {k_mesg_file_id,
            {{0, BaseType::enumeration},
             {1, BaseType::uint16},
             {2, BaseType::uint16},
             {3, BaseType::uint32z},
             {4, BaseType::uint32}}};
}

MessageDefinition device_info_definition()
{
    return {k_mesg_device_info,
            {{k_field_timestamp, BaseType::uint32},
             {0, BaseType::uint8},
             {2, BaseType::uint16},
             {4, BaseType::uint16},
             {25, BaseType::enumeration}}};
}

MessageDefinition event_definition()
{
    return {k_mesg_event,
            {{k_field_timestamp, BaseType::uint32},
             {0, BaseType::enumeration},
             {1, BaseType::enumeration},
             {3, BaseType::uint32}}};
}

MessageDefinition record_definition()
{
    return {k_mesg_record,
            {{k_field_timestamp, BaseType::uint32},
             {5, BaseType::uint32},
             {3, BaseType::uint8},
             {4, BaseType::uint8},
             {6, BaseType::uint16},
             {7, BaseType::uint16}}};
}

MessageDefinition lap_definition()
{
    MessageDefinition definition{k_mesg_lap,
                                 {{k_field_message_index, BaseType::uint16},
                                  {k_field_timestamp, BaseType::uint32},
                                  {0, BaseType::enumeration},
                                  {1, BaseType::enumeration},
                                  {2, BaseType::uint32}}};
    for (const FieldDefinition& field : totals_definition(k_lap_fields)) {
        definition.fields.push_back(field);
    }
    definition.fields.insert(definition.fields.end(), {{23, BaseType::enumeration},
                                                       {24, BaseType::enumeration},
                                                       {25, BaseType::enumeration},
                                                       {39, BaseType::enumeration}});
    return definition;
}

MessageDefinition session_definition()
{
    MessageDefinition definition{k_mesg_session,
                                 {{k_field_message_index, BaseType::uint16},
                                  {k_field_timestamp, BaseType::uint32},
                                  {0, BaseType::enumeration},
                                  {1, BaseType::enumeration},
                                  {2, BaseType::uint32}}};
    for (const FieldDefinition& field : totals_definition(k_session_fields)) {
        definition.fields.push_back(field);
    }
    definition.fields.insert(definition.fields.end(), {{5, BaseType::enumeration},
                                                       {6, BaseType::enumeration},
                                                       {25, BaseType::uint16},
                                                       {26, BaseType::uint16},
                                                       {28, BaseType::enumeration}});
    return definition;
}

MessageDefinition activity_definition()
{
    return {k_mesg_activity,
            {{k_field_timestamp, BaseType::uint32},
             {0, BaseType::uint32},
             {1, BaseType::uint16},
             {2, BaseType::enumeration},
             {3, BaseType::enumeration},
             {4, BaseType::enumeration},
             {5, BaseType::uint32}}};
}

// Writes messages one after the other, stopping at the first error.
class MessageWriter {
public:
    Result<void> define(std::uint8_t local, MessageDefinition definition)
    {
        return m_status ? (m_status = m_encoder.define(local, std::move(definition))) : m_status;
    }
    void write(std::uint8_t local, const Message& values, const char* what)
    {
        if (!m_status) {
            return;
        }
        if (auto written = m_encoder.write(local, values); !written) {
            m_status = make_error(std::string(what) + ": " + written.error().message);
        }
    }
    // A date_time, or 0 after recording the error (the file is then not produced).
    std::uint32_t date_time(SystemTime time, const char* what)
    {
        auto value = to_date_time(time);
        if (!value) {
            if (m_status) {
                m_status = make_error(std::string(what) + " " + value.error().message);
            }
            return 0;
        }
        return *value;
    }
    const Result<void>& status() const { return m_status; }
    Bytes finish() && { return std::move(m_encoder).finish(); }

private:
    Encoder m_encoder{FileHeaderOptions{}};
    Result<void> m_status;
};

void set_record_values(Message& message, MessageWriter& out, const ActivityRecord& record)
{
    message.clear();
    message.set(k_field_timestamp, out.date_time(record.time, "record time"))
        .set_scaled(5, record.distance_m, k_scale_distance)
        .set(3, record.heart_rate)
        .set(4, record.cadence)
        .set_scaled(6, record.speed_mps, k_scale_speed)
        .set(7, record.power_w);
}

Message lap_values(MessageWriter& out, const ActivityFile& activity, const ActivityLap& lap,
                   std::size_t index)
{
    Message message;
    message.set(k_field_message_index, static_cast<std::uint64_t>(index))
        .set(k_field_timestamp, out.date_time(lap.totals.end(), "lap end"))
        .set(0, k_event_lap)
        .set(1, k_event_type_stop)
        .set(2, out.date_time(lap.totals.start, "lap start"));
    set_totals(message, lap.totals, k_lap_fields);
    message.set(23, k_intensity_active)
        .set(24, lap.trigger)
        .set(25, activity.sport)
        .set(39, activity.sub_sport);
    return message;
}

Message session_values(MessageWriter& out, const ActivityFile& activity)
{
    const ActivityTotals& session = activity.session;
    Message message;
    message.set(k_field_message_index, std::uint64_t{0})
        .set(k_field_timestamp, out.date_time(session.end(), "session end"))
        .set(0, k_event_session)
        .set(1, k_event_type_stop)
        .set(2, out.date_time(session.start, "session start"));
    set_totals(message, session, k_session_fields);
    message.set(5, activity.sport)
        .set(6, activity.sub_sport)
        .set(25, std::uint64_t{0})
        .set(26, static_cast<std::uint64_t>(activity.laps.size()))
        .set(28, std::uint8_t{0});  // trigger: activity_end
    return message;
}

}  // namespace

Result<Bytes> encode_activity_file(const ActivityFile& activity)
{
    if (activity.laps.empty()) {
        return make_error("an activity needs at least one lap");
    }
    std::size_t previous = 0;
    for (const ActivityLap& lap : activity.laps) {
        if (lap.records_before < previous || lap.records_before > activity.records.size()) {
            return make_error("lap records_before out of order");
        }
        previous = lap.records_before;
    }

    MessageWriter out;
    const auto defined = [&]() -> Result<void> {
        const std::pair<std::uint8_t, MessageDefinition> definitions[] = {
            {k_local_file_id, file_id_definition()},   {k_local_device_info, device_info_definition()},
            {k_local_event, event_definition()},       {k_local_record, record_definition()},
            {k_local_lap, lap_definition()},           {k_local_session, session_definition()},
            {k_local_activity, activity_definition()},
        };
        // file_id must be the first message: define it, write it, then define the rest.
        if (auto ok = out.define(definitions[0].first, definitions[0].second); !ok) {
            return ok;
        }
        Message file_id;
        file_id.set(0, k_file_activity)
            .set(1, activity.manufacturer)
            .set(2, activity.product)
            .set(3, activity.serial_number)
            .set(4, out.date_time(activity.time_created, "time_created"));
        out.write(k_local_file_id, file_id, "file_id");
        for (std::size_t i = 1; i < std::size(definitions); ++i) {
            if (auto ok = out.define(definitions[i].first, definitions[i].second); !ok) {
                return ok;
            }
        }
        return out.status();
    }();
    if (!defined) {
        return defined.error();
    }

    const ActivityTotals& session = activity.session;
    out.write(k_local_device_info,
              Message{}
                  .set(k_field_timestamp, out.date_time(session.start, "session start"))
                  .set(0, std::uint8_t{0})
                  .set(2, activity.manufacturer)
                  .set(4, activity.product)
                  .set(25, k_source_type_local),
              "device_info");
    out.write(k_local_event,
              Message{}
                  .set(k_field_timestamp, out.date_time(session.start, "session start"))
                  .set(0, k_event_timer)
                  .set(1, k_event_type_start)
                  .set(3, k_timer_trigger_manual),
              "event start");
    std::size_t next_record = 0;
    Message record;
    const auto write_records_until = [&](std::size_t end) {
        for (; next_record < end; ++next_record) {
            set_record_values(record, out, activity.records[next_record]);
            out.write(k_local_record, record, "record");
        }
    };
    for (std::size_t index = 0; index < activity.laps.size(); ++index) {
        const ActivityLap& lap = activity.laps[index];
        write_records_until(lap.records_before);
        out.write(k_local_lap, lap_values(out, activity, lap, index), "lap");
    }
    write_records_until(activity.records.size());
    const std::uint32_t end = out.date_time(session.end(), "session end");
    out.write(k_local_event,
              Message{}
                  .set(k_field_timestamp, end)
                  .set(0, k_event_timer)
                  .set(1, k_event_type_stop_all)
                  .set(3, k_timer_trigger_manual),
              "event stop");
    out.write(k_local_session, session_values(out, activity), "session");
    out.write(k_local_activity,
              Message{}
                  .set(k_field_timestamp, end)
                  .set(0, static_cast<std::uint64_t>(session.timer_ms))
                  .set(1, std::uint64_t{1})
                  .set(2, std::uint8_t{0})  // type: manual
                  .set(3, k_event_activity)
                  .set(4, k_event_type_stop)
                  .set(5, static_cast<std::uint64_t>(static_cast<std::int64_t>(end) + activity.utc_offset_s)),
              "activity");
    if (!out.status()) {
        return out.status().error();
    }
    return std::move(out).finish();
}

}  // namespace ble2garmin::fit
