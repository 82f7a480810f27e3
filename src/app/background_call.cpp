#include "app/background_call.hpp"

#include <cstdint>

#include <sys/eventfd.h>
#include <unistd.h>

namespace ble2garmin::app {

BackgroundCall::BackgroundCall()
    : m_event_fd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)), m_thread([this] { run(); })
{
}

BackgroundCall::~BackgroundCall()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
    if (m_event_fd >= 0) {
        close(m_event_fd);
    }
}

bool BackgroundCall::busy() const
{
    const std::lock_guard lock(m_mutex);
    return m_busy;
}

void BackgroundCall::start(std::function<void()> work)
{
    {
        const std::lock_guard lock(m_mutex);
        m_work = std::move(work);
        m_busy = true;
        m_done = false;
    }
    m_wake.notify_all();
}

bool BackgroundCall::take_finished()
{
    std::uint64_t count = 0;
    (void)!read(m_event_fd, &count, sizeof count);  // clears the eventfd; EAGAIN when nothing came
    const std::lock_guard lock(m_mutex);
    if (!m_done) {
        return false;
    }
    m_done = false;
    m_busy = false;
    return true;
}

void BackgroundCall::run()
{
    while (true) {
        std::function<void()> work;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || m_work; });
            if (m_stop) {
                return;
            }
            work = std::move(m_work);
            m_work = nullptr;
        }
        work();
        {
            const std::lock_guard lock(m_mutex);
            m_done = true;
        }
        const std::uint64_t one = 1;
        (void)!write(m_event_fd, &one, sizeof one);
    }
}

}  // namespace ble2garmin::app
