#include "mqtt/client.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <poll.h>

#include "log/logging.hpp"

namespace ble2garmin::mqtt {
namespace {

// While libmosquitto has bytes to write and the loop polls for input only.
constexpr std::chrono::milliseconds k_write_retry{10};
// A connection attempt that has not been accepted by then counts as failed.
constexpr std::chrono::seconds k_min_connect_timeout{10};

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("mqtt");
}

void init_library()
{
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string error_text(int code)
{
    if (code == MOSQ_ERR_ERRNO) {
        return std::strerror(errno);
    }
    if (code == MOSQ_ERR_TLS) {
        return "the TLS handshake failed (the broker's certificate is not signed by ca_file or the system's "
               "CAs, does not name the host, or the broker refused the client certificate)";
    }
    return mosquitto_strerror(code);
}

// The broker's refusal in words a user acts on. MQTT 3.1.1 CONNACK codes 1–5, MQTT 5 reason codes.
std::string refusal_text(int code, bool mqtt5)
{
    if (code == 4 || code == 5 || code == MQTT_RC_BAD_USERNAME_OR_PASSWORD ||
        code == MQTT_RC_NOT_AUTHORIZED) {
        return "the broker refused the login (wrong user name or password, or the user is not allowed): "
               "check "
               "[mqtt] username and the password file";
    }
    return std::string("the broker refused the connection: ") +
           (mqtt5 ? mosquitto_reason_string(code) : mosquitto_connack_string(code));
}

}  // namespace

Result<std::unique_ptr<Client>> Client::create(ClientOptions options, ClientCallbacks callbacks)
{
    init_library();
    std::unique_ptr<Client> client(new Client(std::move(options), std::move(callbacks)));
    if (client->m_handle == nullptr) {
        return make_error("cannot create an MQTT client: " + std::string(std::strerror(errno)));
    }
    if (auto configured = client->configure(); !configured) {
        return configured.error();
    }
    return client;
}

Client::Client(ClientOptions options, ClientCallbacks callbacks)
    : m_options(std::move(options)),
      m_callbacks(std::move(callbacks)),
      m_random(static_cast<unsigned>(std::random_device{}()))
{
    // A clean session: what was not acknowledged is sent again from the store after a reconnect.
    m_handle = mosquitto_new(m_options.client_id.empty() ? nullptr : m_options.client_id.c_str(), true, this);
}

Client::~Client()
{
    if (m_handle != nullptr) {
        mosquitto_destroy(m_handle);
    }
}

Result<void> Client::configure()
{
    const int version = m_options.mqtt5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311;
    if (int rc = mosquitto_int_option(m_handle, MOSQ_OPT_PROTOCOL_VERSION, version); rc != MOSQ_ERR_SUCCESS) {
        return make_error("MQTT protocol version not accepted: " + error_text(rc));
    }
    mosquitto_connect_callback_set(m_handle, &Client::on_connect);
    mosquitto_disconnect_callback_set(m_handle, &Client::on_disconnect);
    mosquitto_publish_callback_set(m_handle, &Client::on_publish);
    mosquitto_message_callback_set(m_handle, &Client::on_message);
    if (!m_options.username.empty()) {
        const char* password = m_options.password.empty() ? nullptr : m_options.password.c_str();
        if (int rc = mosquitto_username_pw_set(m_handle, m_options.username.c_str(), password);
            rc != MOSQ_ERR_SUCCESS) {
            return make_error("MQTT user name not accepted: " + error_text(rc));
        }
    }
    if (m_options.tls) {
        const std::string ca = m_options.ca_file.string();
        const std::string cert = m_options.cert_file.string();
        const std::string key = m_options.key_file.string();
        // Without a CA file, the system's store; the broker's certificate and host name are always
        // verified (mosquitto_tls_insecure_set stays false).
        const int rc = mosquitto_tls_set(
            m_handle, ca.empty() ? nullptr : ca.c_str(), ca.empty() ? "/etc/ssl/certs" : nullptr,
            cert.empty() ? nullptr : cert.c_str(), key.empty() ? nullptr : key.c_str(), nullptr);
        if (rc != MOSQ_ERR_SUCCESS) {
            return make_error("MQTT TLS files not usable (ca_file " + (ca.empty() ? std::string("-") : ca) +
                              ", cert_file " + (cert.empty() ? std::string("-") : cert) + ", key_file " +
                              (key.empty() ? std::string("-") : key) + "): " + error_text(rc));
        }
        if (int verify = mosquitto_tls_opts_set(m_handle, 1 /* SSL_VERIFY_PEER */, nullptr, nullptr);
            verify != MOSQ_ERR_SUCCESS) {
            return make_error("MQTT TLS options not accepted: " + error_text(verify));
        }
    }
    if (!m_options.will_topic.empty()) {
        if (int rc = mosquitto_will_set(m_handle, m_options.will_topic.c_str(),
                                        static_cast<int>(m_options.will_payload.size()),
                                        m_options.will_payload.data(), 1, m_options.will_retain);
            rc != MOSQ_ERR_SUCCESS) {
            return make_error("MQTT last will not accepted: " + error_text(rc));
        }
    }
    return {};
}

void Client::start(Clock::time_point now)
{
    m_backoff = std::chrono::seconds(0);
    attempt(now);
}

int Client::socket() const
{
    return m_state == ClientState::connecting || m_state == ClientState::connected
               ? mosquitto_socket(m_handle)
               : -1;
}

void Client::attempt(Clock::time_point now)
{
    m_announce_connected = false;
    m_attempt_started = now;
    m_connack_refusal.clear();
    m_state = ClientState::connecting;
    const int rc = m_ever_connected || m_failures > 0
                       ? mosquitto_reconnect_async(m_handle)
                       : mosquitto_connect_bind_async(m_handle, m_options.host.c_str(), m_options.port,
                                                      m_options.keepalive_seconds, nullptr);
    if (rc != MOSQ_ERR_SUCCESS) {
        failed(now, failure_text(rc));
    }
}

std::string Client::failure_text(int code) const
{
    const int error_number = errno;
    std::string cause = error_text(code);
    // A TLS 1.3 broker refuses a missing or unknown client certificate after the handshake: the client
    // then reads the broker's alert (a protocol error) or, when the broker closed first, finds the
    // connection reset or lost.
    const bool dropped = code == MOSQ_ERR_PROTOCOL || code == MOSQ_ERR_CONN_LOST ||
                         (code == MOSQ_ERR_ERRNO &&
                          (error_number == EPROTO || error_number == ECONNRESET || error_number == EPIPE));
    if (dropped && m_options.tls && m_state != ClientState::connected) {
        cause += " (with TLS: did the broker refuse the client certificate? check cert_file and key_file)";
    }
    return cause;
}

void Client::failed(Clock::time_point now, const std::string& cause)
{
    m_state = ClientState::waiting;
    ++m_failures;
    m_backoff =
        m_backoff.count() == 0 ? m_options.reconnect_min : std::min(m_backoff * 2, m_options.reconnect_max);
    // ±10 % jitter.
    const auto spread = std::chrono::duration_cast<std::chrono::milliseconds>(m_backoff) / 10;
    std::uniform_int_distribution<long long> jitter(-spread.count(), spread.count());
    m_retry_at = now + m_backoff + std::chrono::milliseconds(jitter(m_random));
    const auto where = m_options.host + ":" + std::to_string(m_options.port);
    if (cause != m_last_cause) {
        logger()->error("MQTT broker {} not connected: {}; retrying in {} s, then less often (up to {} s)",
                        where, cause, m_backoff.count(), m_options.reconnect_max.count());
        m_last_cause = cause;
    } else {
        logger()->debug("MQTT broker {} still not connected: {}; retrying in {} s attempt={}", where, cause,
                        m_backoff.count(), m_failures);
    }
}

void Client::lost(Clock::time_point now, const std::string& cause)
{
    m_unacknowledged.clear();
    const bool was_connected = m_state == ClientState::connected;
    if (was_connected) {
        m_failures = 0;
        m_backoff = std::chrono::seconds(0);
        m_last_cause.clear();
    }
    failed(now, was_connected ? "connection lost (" + cause + ")" : cause);
    if (was_connected && m_callbacks.disconnected) {
        m_callbacks.disconnected();
    }
}

void Client::pump(Clock::time_point now)
{
    if (m_state == ClientState::idle) {
        return;
    }
    if (m_state == ClientState::waiting) {
        if (now >= m_retry_at) {
            attempt(now);
        }
        return;
    }
    // One pass: select() with a zero timeout, read what is there, write what is queued, keepalive.
    // Several passes while there is input, so a burst of PUBACKs is taken at once.
    for (int pass = 0; pass < 16; ++pass) {
        const int rc = mosquitto_loop(m_handle, 0, 1);
        if (!m_connack_refusal.empty()) {
            const std::string refusal = m_connack_refusal;
            m_connack_refusal.clear();
            mosquitto_disconnect(m_handle);
            m_state = ClientState::connecting;  // not "connected": lost() must not report a disconnect
            failed(now, refusal);
            return;
        }
        if (rc != MOSQ_ERR_SUCCESS) {
            lost(now, failure_text(rc));
            return;
        }
        const int fd = mosquitto_socket(m_handle);
        pollfd probe{fd, POLLIN, 0};
        if (fd < 0 || ::poll(&probe, 1, 0) <= 0) {
            break;
        }
    }
    if (m_announce_connected && m_state == ClientState::connected) {
        m_announce_connected = false;
        if (m_callbacks.connected) {
            m_callbacks.connected();
        }
    }
    const auto timeout = std::max<std::chrono::seconds>(k_min_connect_timeout,
                                                        std::chrono::seconds(m_options.keepalive_seconds));
    if (m_state == ClientState::connecting && now - m_attempt_started > timeout) {
        mosquitto_disconnect(m_handle);
        failed(now, "no answer from the broker within " + std::to_string(timeout.count()) + " s");
    }
}

std::optional<Clock::time_point> Client::next_deadline(Clock::time_point now) const
{
    switch (m_state) {
        case ClientState::idle:
            return std::nullopt;
        case ClientState::waiting:
            return m_retry_at;
        case ClientState::connecting:
            return now + k_write_retry;
        case ClientState::connected:
            if (mosquitto_want_write(m_handle)) {
                return now + k_write_retry;
            }
            // libmosquitto pings once keepalive has passed without a message out, and the broker gives up
            // after 1.5 × keepalive: looking every quarter keeps the ping at most a quarter late.
            return now + std::chrono::seconds(std::max(1, m_options.keepalive_seconds / 4));
    }
    return std::nullopt;
}

Result<int> Client::publish(std::string_view topic, std::string_view payload, int qos, bool retain)
{
    if (m_state != ClientState::connected) {
        return make_error("not connected");
    }
    int message_id = 0;
    const std::string topic_text(topic);
    const int rc = mosquitto_publish(m_handle, &message_id, topic_text.c_str(),
                                     static_cast<int>(payload.size()), payload.data(), qos, retain);
    if (rc != MOSQ_ERR_SUCCESS) {
        return make_error("publish to " + topic_text + " failed: " + error_text(rc));
    }
    if (qos > 0) {
        m_unacknowledged.insert(message_id);
    }
    // Out at once when the socket takes it; pump() writes the rest.
    (void)mosquitto_loop_write(m_handle, 1);
    return message_id;
}

Result<void> Client::subscribe(std::string_view topic, int qos)
{
    const std::string topic_text(topic);
    const int rc = mosquitto_subscribe(m_handle, nullptr, topic_text.c_str(), qos);
    if (rc != MOSQ_ERR_SUCCESS) {
        return make_error("subscribe to " + topic_text + " failed: " + error_text(rc));
    }
    return {};
}

void Client::disconnect(std::chrono::milliseconds budget)
{
    if (m_state != ClientState::connected) {
        m_state = ClientState::idle;
        return;
    }
    const auto until = Clock::now() + budget;
    // What is queued first (the offline status), then DISCONNECT.
    while (mosquitto_want_write(m_handle) && Clock::now() < until) {
        if (mosquitto_loop(m_handle, 10, 1) != MOSQ_ERR_SUCCESS) {
            break;
        }
    }
    mosquitto_disconnect(m_handle);
    while (mosquitto_want_write(m_handle) && Clock::now() < until) {
        if (mosquitto_loop(m_handle, 10, 1) != MOSQ_ERR_SUCCESS) {
            break;
        }
    }
    m_state = ClientState::idle;
}

std::string Client::describe(Clock::time_point now) const
{
    switch (m_state) {
        case ClientState::idle:
            return "stopped";
        case ClientState::connecting:
            return "connecting";
        case ClientState::connected:
            return "connected";
        case ClientState::waiting: {
            const auto left = std::chrono::ceil<std::chrono::seconds>(m_retry_at - now).count();
            return "retrying in " + std::to_string(std::max<long long>(left, 0)) + " s: " + m_last_cause;
        }
    }
    return {};
}

void Client::on_connect(mosquitto* /*handle*/, void* self, int code)
{
    auto& client = *static_cast<Client*>(self);
    if (code != 0) {
        client.m_connack_refusal = refusal_text(code, client.m_options.mqtt5);
        return;
    }
    const bool recovered = client.m_failures > 0;
    client.m_state = ClientState::connected;
    client.m_ever_connected = true;
    client.m_backoff = std::chrono::seconds(0);
    if (recovered) {
        logger()->info("MQTT broker {}:{} connected after {} failed attempt{}", client.m_options.host,
                       client.m_options.port, client.m_failures, client.m_failures == 1 ? "" : "s");
    } else {
        logger()->info("MQTT broker {}:{} connected", client.m_options.host, client.m_options.port);
    }
    client.m_failures = 0;
    client.m_last_cause.clear();
    // Not from here: libmosquitto holds its callback lock now, and a publish that writes at once
    // would take it again (a deadlock). pump() calls `connected` once mosquitto_loop() has returned.
    client.m_announce_connected = true;
}

void Client::on_disconnect(mosquitto* /*handle*/, void* /*self*/, int /*code*/)
{
    // Handled where mosquitto_loop() reports it (pump), where the time is known.
}

void Client::on_publish(mosquitto* /*handle*/, void* self, int message_id)
{
    auto& client = *static_cast<Client*>(self);
    client.m_unacknowledged.erase(message_id);
    if (client.m_callbacks.acknowledged) {
        client.m_callbacks.acknowledged(message_id);
    }
}

void Client::on_message(mosquitto* /*handle*/, void* self, const mosquitto_message* message)
{
    auto& client = *static_cast<Client*>(self);
    if (!client.m_callbacks.message || message == nullptr || message->topic == nullptr) {
        return;
    }
    Message received;
    received.topic = message->topic;
    if (message->payload != nullptr && message->payloadlen > 0) {
        received.payload.assign(static_cast<const char*>(message->payload),
                                static_cast<std::size_t>(message->payloadlen));
    }
    received.retained = message->retain;
    client.m_callbacks.message(received);
}

}  // namespace ble2garmin::mqtt
