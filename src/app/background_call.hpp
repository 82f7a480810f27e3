#pragma once
// Runs one function at a time on its own thread, so that a slow network call never holds up the
// daemon's loop; the loop polls fd() and collects the end with take_finished(). The function owns
// what it reads and writes (a shared result object) — nothing else crosses threads.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ble2garmin::app {

class BackgroundCall {
public:
    BackgroundCall();
    // Waits for a running function to return (cancel it first), then stops the thread.
    ~BackgroundCall();
    BackgroundCall(const BackgroundCall&) = delete;
    BackgroundCall& operator=(const BackgroundCall&) = delete;

    // True from start() until take_finished() saw the function return.
    bool busy() const;
    // Runs `work` on the thread; only when not busy().
    void start(std::function<void()> work);
    // Readable (POLLIN) when a function has returned.
    int fd() const { return m_event_fd; }
    // True (once) when the started function has returned; clears fd().
    bool take_finished();

private:
    void run();

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::function<void()> m_work;  // set by start(), taken by the thread
    bool m_busy = false;
    bool m_done = false;
    bool m_stop = false;
    int m_event_fd = -1;
    std::thread m_thread;
};

}  // namespace ble2garmin::app
