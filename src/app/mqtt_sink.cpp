#include "app/mqtt_sink.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "garmin/auth/token_summary.hpp"
#include "log/logging.hpp"
#include "mqtt/discovery.hpp"
#include "mqtt/gateway_payload.hpp"
#include "mqtt/password.hpp"
#include "mqtt/topics.hpp"
#include "util/hex.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

// Received messages taken in per loop turn at most; the rest wait in the broker's socket.
constexpr std::size_t k_max_received = 256;
// A gateway relays an advertisement whose data did not change at most this often.
constexpr std::chrono::seconds k_relay_repeat{1};
constexpr std::chrono::milliseconds k_drain_budget{1500};

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("mqtt");
}

std::string host_name()
{
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') {
        return "ble2garmin";
    }
    return mqtt::topic_level(name);
}

SystemTime wall_time(mqtt::Clock::time_point deadline)
{
    return std::chrono::system_clock::now() +
           std::chrono::duration_cast<SystemTime::duration>(deadline - mqtt::Clock::now());
}

std::string token_state(garmin::TokenSummary::State state)
{
    switch (state) {
        case garmin::TokenSummary::State::none:
            return "login needed";
        case garmin::TokenSummary::State::di:
        case garmin::TokenSummary::State::legacy:
            return "logged in";
        case garmin::TokenSummary::State::unreadable:
            return "tokens unreadable";
    }
    return "unknown";
}

}  // namespace

MqttSink::MqttSink(const Config& config, store::MeasurementStore& store)
    : m_config(config), m_store(&store), m_ingest(config)
{
    start();
}

MqttSink::~MqttSink()
{
    drain();
}

bool MqttSink::publishing() const
{
    return m_config.mqtt.enabled && m_config.mqtt.role != MqttRole::gateway;
}

std::string MqttSink::gateway_name() const
{
    return m_config.mqtt.gateway_name.empty() ? host_name() : m_config.mqtt.gateway_name;
}

std::string MqttSink::availability_topic() const
{
    if (m_config.mqtt.role == MqttRole::gateway) {
        return m_config.mqtt.gateway_topic + "/" + gateway_name() + "/availability";
    }
    return m_config.mqtt.topic_prefix + "/availability";
}

void MqttSink::reload(const Config& config, store::MeasurementStore& store)
{
    const bool connection_changed = [&] {
        const MqttConfig& a = m_config.mqtt;
        const MqttConfig& b = config.mqtt;
        return a.enabled != b.enabled || a.host != b.host || a.port != b.port || a.protocol != b.protocol ||
               a.client_id != b.client_id || a.username != b.username || a.password_file != b.password_file ||
               a.password_credential != b.password_credential || a.tls != b.tls || a.ca_file != b.ca_file ||
               a.cert_file != b.cert_file || a.key_file != b.key_file ||
               a.keepalive_seconds != b.keepalive_seconds || a.role != b.role ||
               a.topic_prefix != b.topic_prefix || a.gateway_name != b.gateway_name ||
               a.gateway_topic != b.gateway_topic;
    }();
    // A new password in the same file (the usual fix after a refused login) counts as a change too.
    auto password = config.mqtt.enabled ? mqtt::read_password(config.mqtt, config.general.state_directory)
                                        : Result<std::string>(std::string());
    const bool password_changed = !password || *password != m_password;
    if (connection_changed || password_changed) {
        drain();
    }
    m_config = config;
    m_store = &store;
    m_ingest.reload(config);
    if (connection_changed || password_changed || !m_client) {
        start();
    } else if (m_client->connected()) {
        // New users, new discovery, new subscriptions: as after a reconnect.
        (void)open_position();
        on_connected();
    } else {
        (void)open_position();
    }
}

void MqttSink::start()
{
    m_client.reset();
    m_client_error.clear();
    m_in_flight.clear();
    m_last_status.clear();
    if (!m_config.mqtt.enabled) {
        return;
    }
    if (publishing()) {
        if (auto opened = open_position(); !opened) {
            logger()->error(
                "MQTT publishing without a position (nothing is published again after an outage): {}",
                opened.error().message);
        }
    }
    auto password = mqtt::read_password(m_config.mqtt, m_config.general.state_directory);
    if (!password) {
        m_client_error = password.error().message;
        logger()->error("MQTT off: {}", m_client_error);
        return;
    }
    m_password = *password;
    const MqttConfig& settings = m_config.mqtt;
    mqtt::ClientOptions options;
    options.host = settings.host;
    options.port = settings.port;
    options.mqtt5 = settings.protocol == "5";
    options.client_id = settings.client_id.empty() ? "ble2garmin-" + gateway_name() : settings.client_id;
    options.username = settings.username;
    options.password = std::move(*password);
    options.tls = settings.tls;
    options.ca_file = settings.ca_file.empty() ? settings.ca_file : m_config.resolve(settings.ca_file);
    options.cert_file =
        settings.cert_file.empty() ? settings.cert_file : m_config.resolve(settings.cert_file);
    options.key_file = settings.key_file.empty() ? settings.key_file : m_config.resolve(settings.key_file);
    options.keepalive_seconds = settings.keepalive_seconds;
    options.reconnect_min = std::chrono::seconds(settings.reconnect_min_seconds);
    options.reconnect_max = std::chrono::seconds(settings.reconnect_max_seconds);
    options.will_topic = availability_topic();
    options.will_payload = "offline";
    mqtt::ClientCallbacks callbacks;
    callbacks.connected = [this] { on_connected(); };
    callbacks.disconnected = [this] {
        // What was in flight goes again, from the store, after the reconnect.
        m_in_flight.clear();
        for (auto& progress : m_progress) {
            progress.sent = progress.acknowledged.rows;
            progress.done.clear();
        }
        m_last_status.clear();
    };
    callbacks.acknowledged = [this](int message_id) { on_acknowledged(message_id); };
    callbacks.message = [this](const mqtt::Message& message) {
        if (m_received.size() < k_max_received) {
            m_received.push_back(message);
        }
    };
    auto client = mqtt::Client::create(std::move(options), std::move(callbacks));
    if (!client) {
        m_client_error = client.error().message;
        logger()->error("MQTT off: {}", m_client_error);
        return;
    }
    m_client = std::move(*client);
    logger()->info("MQTT {} broker={}:{} tls={} user={} role={}", settings.protocol == "5" ? "5" : "3.1.1",
                   settings.host, settings.port, settings.tls ? "on" : "off",
                   settings.username.empty() ? "-" : settings.username,
                   settings.role == MqttRole::gateway ? "gateway"
                   : settings.role == MqttRole::hub   ? "hub"
                                                      : "standalone");
    m_client->start(mqtt::Clock::now());
}

void MqttSink::on_connected()
{
    const MqttConfig& settings = m_config.mqtt;
    (void)m_client->publish(availability_topic(), "online", 1, true);
    for (const auto& topic : m_ingest.topics()) {
        if (auto subscribed = m_client->subscribe(topic, 1); !subscribed) {
            logger()->error("MQTT: {}", subscribed.error().message);
        } else {
            logger()->info("MQTT taking in topic={}", topic);
        }
    }
    if (!publishing()) {
        return;
    }
    const mqtt::DiscoveryTopics topics{settings.discovery_prefix, settings.topic_prefix,
                                       availability_topic()};
    std::set<std::string> current;
    if (settings.discovery) {
        for (const auto& user : m_config.users) {
            current.insert(user.name);
            for (const auto& message : mqtt::discovery_configs(topics, user.name)) {
                (void)m_client->publish(message.topic, message.payload, 1, true);
            }
        }
    }
    // Users announced before and no longer configured (or discovery turned off): their entities and
    // retained states go.
    for (const auto& gone : m_announced) {
        if (current.contains(gone)) {
            continue;
        }
        logger()->info("MQTT: removing the Home Assistant entities of user={}", gone);
        for (const auto& message : mqtt::discovery_removals(topics, gone)) {
            (void)m_client->publish(message.topic, "", 1, true);
        }
        const std::string user_topic = settings.topic_prefix + "/" + mqtt::topic_level(gone);
        (void)m_client->publish(user_topic + "/weight", "", 1, true);
        (void)m_client->publish(user_topic + "/blood_pressure", "", 1, true);
    }
    if (current != m_announced) {
        m_announced = std::move(current);
        save_position();
    }
    m_in_flight.clear();
    for (auto& progress : m_progress) {
        progress.sent = progress.acknowledged.rows;
        progress.done.clear();
    }
    m_last_status.clear();
    publish_status(true);
    publish_backlog();
}

void MqttSink::publish_status(bool force)
{
    if (!publishing() || !m_client || !m_client->connected()) {
        return;
    }
    nlohmann::ordered_json status;
    status["state"] = "online";
    status["role"] = m_config.mqtt.role == MqttRole::hub ? "hub" : "standalone";
    status["last_reading"] =
        m_last_reading.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(m_last_reading);
    status["pending_uploads"] = m_store->pending_scale().size() + m_store->pending_blood_pressure().size();
    std::uint64_t backlog = 0;
    for (const auto& progress : m_progress) {
        backlog += progress.total - std::min(progress.total, progress.acknowledged.rows);
    }
    status["unpublished"] = backlog;
    nlohmann::ordered_json garmin;
    garmin["uploads"] = !m_config.garmin.enabled ? "off" : m_config.garmin.dry_run ? "dry run" : "on";
    if (m_config.garmin.enabled && (force || m_last_status.empty())) {
        nlohmann::ordered_json accounts = nlohmann::ordered_json::object();
        for (const auto& user : m_config.users) {
            if (!is_no_account(user.garmin_email)) {
                accounts[user.garmin_email] = token_state(
                    garmin::summarize_tokens(m_config.garmin_token_dir(), user.garmin_email).state);
            }
        }
        garmin["accounts"] = std::move(accounts);
        m_garmin_accounts = garmin["accounts"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else if (m_config.garmin.enabled) {
        garmin["accounts"] =
            nlohmann::ordered_json::parse(m_garmin_accounts.empty() ? "{}" : m_garmin_accounts);
    }
    status["garmin"] = std::move(garmin);
    std::string payload = status.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!force && payload == m_last_status) {
        return;
    }
    if (m_client->publish(m_config.mqtt.topic_prefix + "/status", payload, 1, true)) {
        m_last_status = std::move(payload);
    }
}

bool MqttSink::on_advertisement(const Advertisement& advertisement)
{
    if (!m_config.mqtt.enabled || m_config.mqtt.role != MqttRole::gateway) {
        return false;
    }
    // A gateway records nothing; it relays the advertisements of its configured devices.
    const bool configured =
        std::any_of(m_config.devices.begin(), m_config.devices.end(),
                    [&](const DeviceConfig& device) { return device.mac == advertisement.address; });
    if (!configured || !m_client || !m_client->connected()) {
        return true;
    }
    std::string data;
    for (const auto& [uuid, bytes] : advertisement.service_data) {
        data += uuid + "=" + to_hex(bytes) + ";";
    }
    for (const auto& [company, bytes] : advertisement.manufacturer_data) {
        data += std::to_string(company) + "=" + to_hex(bytes) + ";";
    }
    auto& last = m_relayed[advertisement.address];
    if (last.first == data && advertisement.received_at - last.second < k_relay_repeat) {
        return true;
    }
    last = {data, advertisement.received_at};
    const std::string name = gateway_name();
    (void)m_client->publish(m_config.mqtt.gateway_topic + "/" + name,
                            mqtt::encode_gateway_advertisement(advertisement, name), 1, false);
    return true;
}

std::vector<int> MqttSink::fds() const
{
    if (!m_client || m_client->socket() < 0) {
        return {};
    }
    return {m_client->socket()};
}

void MqttSink::pump(SystemTime now)
{
    if (!m_client) {
        return;
    }
    m_client->pump(mqtt::Clock::now());
    std::vector<mqtt::Message> received;
    received.swap(m_received);
    for (const auto& message : received) {
        auto taken = m_ingest.take(message, now);
        if (auto* advertisement = std::get_if<Advertisement>(&taken);
            advertisement && m_inputs.advertisement) {
            m_inputs.advertisement(*advertisement);
        } else if (auto* reading = std::get_if<Reading>(&taken); reading && m_inputs.reading) {
            m_inputs.reading(*reading);
        }
    }
    if (m_client->connected()) {
        publish_backlog();
        publish_status(false);
    }
}

std::optional<SystemTime> MqttSink::next_deadline() const
{
    if (!m_client) {
        return std::nullopt;
    }
    if (!m_received.empty()) {
        return std::chrono::system_clock::now();
    }
    const auto deadline = m_client->next_deadline(mqtt::Clock::now());
    return deadline ? std::optional<SystemTime>(wall_time(*deadline)) : std::nullopt;
}

void MqttSink::drain()
{
    if (!m_client) {
        return;
    }
    // The acknowledgements of what is in flight, for a moment; then "offline" and a clean DISCONNECT
    // (the broker then does not need the last will).
    // Everything queued goes out first (libmosquitto holds back what exceeds its 20 in flight), then
    // "offline" behind it.
    const auto settle = [&](mqtt::Clock::time_point until) {
        while (m_client->connected() && m_client->unacknowledged() > 0 && mqtt::Clock::now() < until) {
            m_client->pump(mqtt::Clock::now());
            if (m_client->unacknowledged() > 0) {
                ::usleep(2000);
            }
        }
    };
    settle(mqtt::Clock::now() + k_drain_budget);
    if (m_client->connected()) {
        (void)m_client->publish(availability_topic(), "offline", 1, true);
        settle(mqtt::Clock::now() + std::chrono::milliseconds(500));
    }
    m_client->disconnect(std::chrono::milliseconds(200));
    m_client.reset();
    m_received.clear();
}

std::string MqttSink::status() const
{
    if (!m_config.mqtt.enabled) {
        return {};
    }
    if (!m_client) {
        return "MQTT off (" + m_client_error + ")";
    }
    std::string words;
    switch (m_client->state()) {
        case mqtt::ClientState::connected:
            words = "MQTT connected";
            break;
        case mqtt::ClientState::connecting:
            words = "MQTT connecting";
            break;
        case mqtt::ClientState::waiting:
            words = "MQTT not connected (" + m_client->last_failure() + ")";
            break;
        case mqtt::ClientState::idle:
            words = "MQTT stopped";
            break;
    }
    std::uint64_t backlog = 0;
    for (const auto& progress : m_progress) {
        backlog += progress.total - std::min(progress.total, progress.acknowledged.rows);
    }
    if (backlog > 0 && publishing()) {
        words += fmt::format(", {} to publish", backlog);
    }
    return words;
}

}  // namespace ble2garmin::app
