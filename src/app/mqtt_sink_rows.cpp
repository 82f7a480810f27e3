// The MQTT sink's rows (app/mqtt_sink.hpp): the durable position over the store's backups, publishing a
// measurement as it is recorded or the backlog after an outage from the backups, and the
// acknowledgements that move the position.

#include <algorithm>

#include "app/mqtt_sink.hpp"
#include "app/mqtt_states.hpp"
#include "log/logging.hpp"
#include "mqtt/topics.hpp"
#include "store/history/history_rows.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

// Rows in flight at once while a backlog is published (each pass reads the backup from the top, so a
// long outage is caught up in passes of this many).
constexpr std::size_t k_window = MqttSink::k_rows_in_flight;

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("mqtt");
}

}  // namespace

Result<void> MqttSink::open_position()
{
    m_position_ok = false;
    const auto path = m_config.general.state_directory / mqtt::k_cursor_file;
    auto cursor = mqtt::read_publish_cursor(path);
    if (!cursor) {
        return cursor.error();
    }
    // How many rows each backup has, and the T of the row the position names.
    struct Count {
        std::uint64_t rows = 0;
        std::int64_t last = 0;
        std::optional<std::int64_t> at_position;
    };
    Count counts[2];
    const mqtt::BackupPosition positions[2] = {*cursor ? (*cursor)->scale : mqtt::BackupPosition{},
                                               *cursor ? (*cursor)->blood_pressure : mqtt::BackupPosition{}};
    const auto count = [&](Kind kind, std::int64_t time) {
        Count& c = counts[kind];
        ++c.rows;
        c.last = time;
        if (c.rows == positions[kind].rows) {
            c.at_position = time;
        }
    };
    auto scale_rows = store::read_scale_rows(m_config.miscale_csv_path(), [&](const store::MiscaleRow& row) {
        count(Kind::scale, row.unix_time());
    });
    if (!scale_rows) {
        return scale_rows.error();
    }
    auto pressure_rows = store::read_blood_pressure_rows(
        m_config.omron_csv_path(),
        [&](const store::OmronRow& row) { count(Kind::blood_pressure, row.unix_time); });
    if (!pressure_rows) {
        return pressure_rows.error();
    }
    for (const Kind kind : {Kind::scale, Kind::blood_pressure}) {
        Progress& progress = m_progress[kind];
        const Count& c = counts[kind];
        const mqtt::BackupPosition& position = positions[kind];
        const bool valid = position.rows == 0 || (c.at_position && *c.at_position == position.last);
        if (!*cursor) {
            // First start: from the end, not the whole history.
            progress.acknowledged = {c.rows, c.last};
        } else if (!valid) {
            logger()->warn(
                "MQTT: {} changed since the last publish (rows removed or edited): publishing from its "
                "end, rows={}",
                kind == Kind::scale ? m_config.miscale_csv_path().string()
                                    : m_config.omron_csv_path().string(),
                c.rows);
            progress.acknowledged = {c.rows, c.last};
        } else {
            progress.acknowledged = position;
        }
        progress.total = c.rows;
        progress.sent = progress.acknowledged.rows;
        progress.done.clear();
        if (progress.total > progress.acknowledged.rows) {
            logger()->info("MQTT: {} rows to publish from {}", progress.total - progress.acknowledged.rows,
                           kind == Kind::scale ? "the scale backup" : "the blood-pressure backup");
        }
    }
    m_announced.clear();
    if (*cursor) {
        m_announced.insert((*cursor)->announced.begin(), (*cursor)->announced.end());
    }
    m_in_flight.clear();
    m_position_ok = true;
    if (!*cursor) {
        save_position();
    }
    return {};
}

void MqttSink::save_position()
{
    if (!m_position_ok) {
        return;
    }
    mqtt::PublishCursor cursor;
    cursor.scale = m_progress[Kind::scale].acknowledged;
    cursor.blood_pressure = m_progress[Kind::blood_pressure].acknowledged;
    cursor.announced.assign(m_announced.begin(), m_announced.end());
    if (auto written =
            mqtt::write_publish_cursor(m_config.general.state_directory / mqtt::k_cursor_file, cursor);
        !written) {
        logger()->error("MQTT position not saved (rows may be published again after a restart): {}",
                        written.error().message);
    }
}

void MqttSink::on_acknowledged(int message_id)
{
    const auto found = m_in_flight.find(message_id);
    if (found == m_in_flight.end()) {
        return;  // discovery, status, flat topics: not tracked
    }
    const Flight flight = found->second;
    m_in_flight.erase(found);
    row_done(flight.kind, flight.row, flight.time);
}

void MqttSink::row_done(Kind kind, std::uint64_t row, std::int64_t time)
{
    Progress& progress = m_progress[kind];
    if (row <= progress.acknowledged.rows) {
        return;
    }
    progress.done[row] = time;
    bool moved = false;
    for (auto next = progress.done.find(progress.acknowledged.rows + 1); next != progress.done.end();
         next = progress.done.find(progress.acknowledged.rows + 1)) {
        progress.acknowledged = {next->first, next->second};
        progress.done.erase(next);
        moved = true;
    }
    if (moved) {
        save_position();
    }
}

std::optional<int> MqttSink::publish_scale(const std::string& user, const mqtt::ScaleState& state)
{
    const std::string user_topic = m_config.mqtt.topic_prefix + "/" + mqtt::topic_level(user);
    if (m_config.mqtt.flat_topics) {
        for (const auto& [metric, value] : mqtt::scale_flat_values(state)) {
            (void)m_client->publish(user_topic + "/" + metric, value, 1, m_config.mqtt.retain);
        }
    }
    auto id =
        m_client->publish(user_topic + "/weight", mqtt::scale_state_json(state), 1, m_config.mqtt.retain);
    if (!id) {
        return std::nullopt;
    }
    return *id;
}

std::optional<int> MqttSink::publish_blood_pressure(const std::string& user,
                                                    const mqtt::BloodPressureState& state)
{
    const std::string user_topic = m_config.mqtt.topic_prefix + "/" + mqtt::topic_level(user);
    if (m_config.mqtt.flat_topics) {
        for (const auto& [metric, value] : mqtt::blood_pressure_flat_values(state)) {
            (void)m_client->publish(user_topic + "/" + metric, value, 1, m_config.mqtt.retain);
        }
    }
    auto id = m_client->publish(user_topic + "/blood_pressure", mqtt::blood_pressure_state_json(state), 1,
                                m_config.mqtt.retain);
    if (!id) {
        return std::nullopt;
    }
    return *id;
}

void MqttSink::on_recorded(const Measurement& measurement)
{
    if (!publishing()) {
        return;
    }
    m_last_reading = format_iso_local_offset(measurement.measured_at);
    const Kind kind =
        std::holds_alternative<ScaleReading>(measurement.reading.value) ? Kind::scale : Kind::blood_pressure;
    Progress& progress = m_progress[kind];
    ++progress.total;  // the store appended its row
    const std::uint64_t row = progress.total;
    const std::int64_t time = to_unix_seconds(measurement.measured_at);
    // The live path: with no backlog before it, published from the measurement itself (device, source
    // and full precision included); otherwise the backlog reaches it in order.
    if (!m_client || !m_client->connected() || progress.sent + 1 != row || m_in_flight.size() >= k_window) {
        return;
    }
    std::optional<int> id;
    bool nothing = false;
    if (kind == Kind::scale) {
        if (auto state = scale_state(measurement)) {
            id = publish_scale(state->user, state->state);
        } else {
            nothing = true;
        }
    } else if (auto state = blood_pressure_state(measurement, m_config.storage.blood_pressure_category)) {
        id = publish_blood_pressure(state->user, state->state);
    } else {
        nothing = true;
    }
    if (nothing) {
        progress.sent = row;
        row_done(kind, row, time);
    } else if (id) {
        progress.sent = row;
        m_in_flight[*id] = {kind, row, time};
    }
    publish_status(false);
}

void MqttSink::publish_backlog()
{
    if (!m_position_ok || !m_client || !m_client->connected()) {
        return;
    }
    for (const Kind kind : {Kind::scale, Kind::blood_pressure}) {
        Progress& progress = m_progress[kind];
        if (progress.sent >= progress.total || m_in_flight.size() >= k_window) {
            continue;
        }
        const std::uint64_t first = progress.sent + 1;
        const std::uint64_t last =
            std::min<std::uint64_t>(progress.total, progress.sent + (k_window - m_in_flight.size()));
        std::uint64_t number = 0;
        bool stopped = false;
        const auto take = [&](std::int64_t time, const auto& publish_row) {
            ++number;
            if (stopped || number < first || number > last) {
                return;
            }
            const auto outcome = publish_row();
            if (outcome == 0) {  // nothing to publish for this row
                progress.sent = number;
                row_done(kind, number, time);
            } else if (outcome > 0) {
                progress.sent = number;
                m_in_flight[outcome] = {kind, number, time};
            } else {
                stopped = true;  // not connected any more
            }
        };
        Result<store::HistoryReadSummary> read = store::HistoryReadSummary{};
        if (kind == Kind::scale) {
            read = store::read_scale_rows(m_config.miscale_csv_path(), [&](const store::MiscaleRow& row) {
                take(row.unix_time(), [&]() -> int {
                    auto state = scale_state(row, m_config, *m_store);
                    if (!state) {
                        return 0;
                    }
                    return publish_scale(state->user, state->state).value_or(-1);
                });
            });
        } else {
            read =
                store::read_blood_pressure_rows(m_config.omron_csv_path(), [&](const store::OmronRow& row) {
                    take(row.unix_time, [&]() -> int {
                        auto state = blood_pressure_state(row, m_config);
                        if (!state) {
                            return 0;
                        }
                        return publish_blood_pressure(state->user, state->state).value_or(-1);
                    });
                });
        }
        if (!read) {
            logger()->error("MQTT: the backup cannot be read for publishing, trying again later: {}",
                            read.error().message);
            continue;
        }
        if (number < progress.total) {
            // Rows vanished under us (the file was replaced by hand): publish what is there from now on.
            logger()->warn("MQTT: the backup has fewer rows than expected ({} < {}); going on from its end",
                           number, progress.total);
            progress.total = number;
            progress.sent = std::min(progress.sent, number);
            if (progress.acknowledged.rows > number) {
                progress.acknowledged = {number, 0};
                save_position();
            }
        }
    }
}

}  // namespace ble2garmin::app
