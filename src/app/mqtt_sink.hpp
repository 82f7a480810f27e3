#pragma once
// The MQTT sink (docs/mqtt.md): publishes every recorded measurement as the user's retained state
// (QoS 1), announces Home Assistant entities, keeps <prefix>/status up to date, and is a source too:
// export2garmin's ESP32 feed and, for a hub, the gateways' advertisements. A gateway relays the
// advertisements of its configured devices and records nothing.
//
// Nothing is lost while the broker is down, and nothing is held in memory for it: the rows are in the
// store's backups, and mqtt_published.json (mqtt/publish_cursor.hpp) says how many of them the broker
// has acknowledged. After a reconnect — or a restart — the rows after that position are read from the
// store and published, oldest first, a few in flight at a time; the position moves on each PUBACK.
// QoS 1 is "at least once": a PUBACK lost with the connection means that one message is sent again;
// an acknowledged row is never sent again.
//
// Everything runs on the daemon's loop (mqtt::Client has no thread).

#include <map>
#include <memory>
#include <set>
#include <string>

#include "app/mqtt_ingest.hpp"
#include "app/sink.hpp"
#include "mqtt/client.hpp"
#include "mqtt/publish_cursor.hpp"
#include "mqtt/state_payload.hpp"

namespace ble2garmin::app {

class MqttSink final : public Sink {
public:
    // Rows of the backups in flight at once (published, not yet acknowledged).
    static constexpr std::size_t k_rows_in_flight = 16;

    MqttSink(const Config& config, store::MeasurementStore& store);
    ~MqttSink() override;

    void on_recorded(const Measurement& measurement) override;
    void reload(const Config& config, store::MeasurementStore& store) override;
    std::vector<int> fds() const override;
    void pump(SystemTime now) override;
    std::optional<SystemTime> next_deadline() const override;
    void drain() override;
    std::string status() const override;
    void connect_inputs(const SinkInputs& inputs) override { m_inputs = inputs; }
    bool on_advertisement(const Advertisement& advertisement) override;

private:
    enum Kind : std::size_t { scale = 0, blood_pressure = 1 };
    // One backup's progress: rows acknowledged (durable), rows sent, rows there are.
    struct Progress {
        mqtt::BackupPosition acknowledged;
        std::uint64_t sent = 0;                      // rows 1..sent are acknowledged or in flight
        std::uint64_t total = 0;                     // rows in the backup
        std::map<std::uint64_t, std::int64_t> done;  // rows acknowledged beyond `acknowledged` → T
    };
    struct Flight {
        Kind kind;
        std::uint64_t row;  // 1-based row number in its backup
        std::int64_t time;  // its T
    };

    void start();
    void stop_client();
    Result<void> open_position();
    void on_connected();
    void on_acknowledged(int message_id);
    void row_done(Kind kind, std::uint64_t row, std::int64_t time);
    void save_position();
    void publish_backlog();
    void publish_status(bool force);
    // Publishes a user's state (and flat topics); the message id of the state message.
    std::optional<int> publish_scale(const std::string& user, const mqtt::ScaleState& state);
    std::optional<int> publish_blood_pressure(const std::string& user, const mqtt::BloodPressureState& state);
    bool publishing() const;
    std::string availability_topic() const;
    std::string gateway_name() const;

    Config m_config;
    store::MeasurementStore* m_store;
    SinkInputs m_inputs;
    MqttIngest m_ingest;
    std::unique_ptr<mqtt::Client> m_client;
    std::string m_password;      // secret: compared at reload, never logged
    std::string m_client_error;  // why there is no client (bad TLS file, unreadable password)
    Progress m_progress[2];
    std::map<int, Flight> m_in_flight;
    std::set<std::string> m_announced;
    bool m_position_ok = false;
    std::string m_last_status;              // the status payload last published
    std::vector<mqtt::Message> m_received;  // taken in after the client's pump, not inside its callback
    std::map<std::string, std::pair<std::string, SystemTime>> m_relayed;  // gateway: address → last payload
    std::string m_last_reading;
    std::string m_garmin_accounts;  // the accounts' login states last read (JSON), for status updates
};

}  // namespace ble2garmin::app
