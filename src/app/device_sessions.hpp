#pragma once
// The daemon's sessions with devices that must be connected to (include/ble2garmin/
// device_session.hpp). Each runs on its own thread — connect, the module's protocol, disconnect —
// so the loop keeps scanning and recording scale weighings meanwhile; the loop polls fd() and takes
// the ends. At most one session per device; after one ends the device's adverts are left alone for
// the session's quiet period (a success) or a second (a failure: the next advert tries again).
// stop() raises the stop flag every link checks and joins the threads.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ble2garmin/device_session.hpp"

namespace ble2garmin::app {

struct SessionJob {
    std::string address;
    std::string adapter;  // the advertisement's source ("hci0")
    std::unique_ptr<DeviceSession> session;
    SessionInput input;
};

struct SessionEnd {
    std::string address;
    std::string adapter;
    Result<SessionOutput> output = make_error("not run");
    std::chrono::steady_clock::duration took{};
};

class DeviceSessions {
public:
    // Connects to the job's device and runs its session; the stop flag aborts it.
    using Runner = std::function<Result<SessionOutput>(const SessionJob& job, const std::atomic<bool>& stop)>;

    explicit DeviceSessions(Runner runner);
    ~DeviceSessions();
    DeviceSessions(const DeviceSessions&) = delete;
    DeviceSessions& operator=(const DeviceSessions&) = delete;

    // True when no session of `address` runs and its quiet time is over.
    bool idle(const std::string& address, std::chrono::steady_clock::time_point now) const;
    // Starts the job on its own thread (only when idle()).
    void start(SessionJob job);
    // Readable (POLLIN) when a session has ended.
    int fd() const { return m_event_fd; }
    // The sessions that ended since the last call; clears fd().
    std::vector<SessionEnd> take_finished();
    // Aborts every running session and waits for its thread.
    void stop();
    std::size_t running() const;

private:
    struct Running {
        std::thread thread;
        std::chrono::seconds quiet{0};
    };

    Runner m_runner;
    mutable std::mutex m_mutex;
    std::map<std::string, Running> m_running;  // by address
    std::map<std::string, std::chrono::steady_clock::time_point> m_quiet_until;
    std::vector<SessionEnd> m_finished;
    std::atomic<bool> m_stop{false};
    int m_event_fd = -1;
};

}  // namespace ble2garmin::app
