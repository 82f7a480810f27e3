#pragma once
// The MQTT connection, on the daemon's loop (no thread of its own): libmosquitto without its network
// thread. The loop polls socket() for input and calls pump() every turn; pump() reads, writes what
// libmosquitto has queued, sends keepalive pings and (re)connects when the back-off says so. The
// daemon polls for input only, so while libmosquitto still has bytes to write (a TCP connect or a TLS
// handshake in progress, a full socket buffer) next_deadline() asks to be pumped again 10 ms later.
//
// libmosquitto's callbacks run with its callback lock held, so nothing here calls libmosquitto from
// them: messages and acknowledgements are only recorded, and `connected` is called by pump() once
// mosquitto_loop() has returned.
//
// Reconnects: after a lost, refused or failed connection the next attempt waits min, 2·min, 4·min …
// up to max seconds (±10 % jitter so that several clients do not hit a restarted broker together);
// a successful connection resets the wait. Each distinct failure is logged once (error), repeats at
// debug level, the recovery once (info). Neither the password nor the key ever reaches a log line.
//
// libmosquitto is used only here (docs/architecture.md).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>

#include "ble2garmin/result.hpp"

struct mosquitto;
struct mosquitto_message;

namespace ble2garmin::mqtt {

using Clock = std::chrono::steady_clock;

struct ClientOptions {
    std::string host = "localhost";
    int port = 1883;
    bool mqtt5 = true;  // else 3.1.1
    std::string client_id;
    std::string username;  // empty: no login
    std::string password;  // secret: never logged
    bool tls = false;
    std::filesystem::path ca_file;  // empty with TLS: the system's CA store (/etc/ssl/certs)
    std::filesystem::path cert_file;
    std::filesystem::path key_file;
    int keepalive_seconds = 60;
    std::chrono::seconds reconnect_min{1};
    std::chrono::seconds reconnect_max{300};
    // Last will: published by the broker when the connection dies without a DISCONNECT.
    std::string will_topic;
    std::string will_payload;
    bool will_retain = true;
};

struct Message {
    std::string topic;
    std::string payload;
    bool retained = false;
};

struct ClientCallbacks {
    std::function<void()> connected;
    std::function<void()> disconnected;
    std::function<void(int message_id)> acknowledged;  // PUBACK of a QoS 1 publish
    std::function<void(const Message&)> message;
};

enum class ClientState { idle, connecting, connected, waiting };

class Client {
public:
    // A client for `options`; nothing is connected before start(). An Error when libmosquitto
    // refuses an option (a TLS file it cannot use: the message names the file).
    static Result<std::unique_ptr<Client>> create(ClientOptions options, ClientCallbacks callbacks);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // The first connection attempt, now.
    void start(Clock::time_point now);
    // The socket to poll for input; -1 while not connected.
    int socket() const;
    // Reads, writes, pings, and reconnects when it is time.
    void pump(Clock::time_point now);
    std::optional<Clock::time_point> next_deadline(Clock::time_point now) const;

    // Queues a message; its id (for `acknowledged`, QoS 1) or an Error when not connected or refused.
    Result<int> publish(std::string_view topic, std::string_view payload, int qos, bool retain);
    Result<void> subscribe(std::string_view topic, int qos);
    // Sends DISCONNECT (the broker then does not publish the will) and writes out what is queued,
    // for at most `budget`.
    void disconnect(std::chrono::milliseconds budget);

    ClientState state() const { return m_state; }
    bool connected() const { return m_state == ClientState::connected; }
    // "connected", "connecting", "retrying in 8 s: connection refused", for status lines.
    std::string describe(Clock::time_point now) const;
    // Why the last attempt failed (empty once connected).
    const std::string& last_failure() const { return m_last_cause; }
    // QoS 1 messages sent or queued and not acknowledged yet (libmosquitto sends at most 20 at once and
    // queues the rest).
    std::size_t unacknowledged() const { return m_unacknowledged.size(); }
    // Connection attempts that failed since the last success.
    int failures() const { return m_failures; }

private:
    Client(ClientOptions options, ClientCallbacks callbacks);
    Result<void> configure();
    void attempt(Clock::time_point now);
    void failed(Clock::time_point now, const std::string& cause);
    void lost(Clock::time_point now, const std::string& cause);
    // libmosquitto's error in words, with a hint where TLS makes it ambiguous.
    std::string failure_text(int code) const;

    static void on_connect(mosquitto* handle, void* self, int code);
    static void on_disconnect(mosquitto* handle, void* self, int code);
    static void on_publish(mosquitto* handle, void* self, int message_id);
    static void on_message(mosquitto* handle, void* self, const mosquitto_message* message);

    ClientOptions m_options;
    ClientCallbacks m_callbacks;
    mosquitto* m_handle = nullptr;
    ClientState m_state = ClientState::idle;
    bool m_ever_connected = false;
    Clock::time_point m_attempt_started;
    Clock::time_point m_retry_at;
    std::chrono::seconds m_backoff{0};
    int m_failures = 0;
    std::string m_last_cause;       // the failure last logged at error level
    std::string m_connack_refusal;  // set by on_connect when the broker said no
    bool m_announce_connected = false;
    std::set<int> m_unacknowledged;  // set by on_connect: pump() calls `connected` after the loop
    std::minstd_rand m_random;
};

}  // namespace ble2garmin::mqtt
