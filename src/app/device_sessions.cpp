#include "app/device_sessions.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

namespace ble2garmin::app {
namespace {

constexpr std::chrono::seconds k_after_failure{1};

}  // namespace

DeviceSessions::DeviceSessions(Runner runner)
    : m_runner(std::move(runner)), m_event_fd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
}

DeviceSessions::~DeviceSessions()
{
    stop();
    if (m_event_fd >= 0) {
        close(m_event_fd);
    }
}

bool DeviceSessions::idle(const std::string& address, std::chrono::steady_clock::time_point now) const
{
    const std::lock_guard lock(m_mutex);
    if (m_stop || m_running.contains(address)) {
        return false;
    }
    const auto quiet = m_quiet_until.find(address);
    return quiet == m_quiet_until.end() || now >= quiet->second;
}

void DeviceSessions::start(SessionJob job)
{
    const std::lock_guard lock(m_mutex);
    const std::string address = job.address;
    Running& running = m_running[address];
    running.quiet = job.session->quiet_period();
    running.thread = std::thread([this, job = std::move(job)]() mutable {
        SessionEnd end;
        end.address = job.address;
        end.adapter = job.adapter;
        const auto started = std::chrono::steady_clock::now();
        end.output = m_runner(job, m_stop);
        end.took = std::chrono::steady_clock::now() - started;
        job.session.reset();
        {
            const std::lock_guard done(m_mutex);
            m_finished.push_back(std::move(end));
        }
        const std::uint64_t one = 1;
        (void)!::write(m_event_fd, &one, sizeof one);
    });
}

std::vector<SessionEnd> DeviceSessions::take_finished()
{
    std::uint64_t count = 0;
    (void)!::read(m_event_fd, &count, sizeof count);
    std::vector<SessionEnd> finished;
    std::vector<std::thread> ended;
    {
        const std::lock_guard lock(m_mutex);
        finished.swap(m_finished);
        const auto now = std::chrono::steady_clock::now();
        for (const auto& end : finished) {
            auto running = m_running.find(end.address);
            if (running == m_running.end()) {
                continue;
            }
            m_quiet_until[end.address] = now + (end.output ? running->second.quiet : k_after_failure);
            ended.push_back(std::move(running->second.thread));
            m_running.erase(running);
        }
    }
    for (auto& thread : ended) {
        thread.join();  // it has pushed its end: returns at once
    }
    return finished;
}

void DeviceSessions::stop()
{
    m_stop = true;
    std::vector<std::thread> threads;
    {
        const std::lock_guard lock(m_mutex);
        for (auto& [address, running] : m_running) {
            threads.push_back(std::move(running.thread));
        }
    }
    for (auto& thread : threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    const std::lock_guard lock(m_mutex);
    m_running.clear();
}

std::size_t DeviceSessions::running() const
{
    const std::lock_guard lock(m_mutex);
    return m_running.size();
}

}  // namespace ble2garmin::app
