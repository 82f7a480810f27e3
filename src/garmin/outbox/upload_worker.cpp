#include "garmin/outbox/upload_worker.hpp"

#include <cstdint>

#include <sys/eventfd.h>
#include <unistd.h>

namespace ble2garmin::garmin {

UploadWorker::State::~State()
{
    if (event_fd >= 0) {
        close(event_fd);
    }
}

UploadWorker::UploadWorker(Upload upload, Cancel cancel) : m_state(std::make_shared<State>())
{
    m_state->upload = std::move(upload);
    m_state->cancel = std::move(cancel);
    m_state->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    m_event_fd = m_state->event_fd;
    m_thread = std::thread([state = m_state] { run(state); });
}

UploadWorker::~UploadWorker()
{
    Cancel cancel;
    {
        std::lock_guard lock(m_state->mutex);
        m_state->stop = true;
        if (m_state->busy && !m_state->job && !m_state->result) {
            cancel = m_state->cancel;  // an HTTP call is running and may take up to its timeout
        }
    }
    m_state->wake.notify_all();
    if (cancel) {
        cancel();
    }
    m_thread.join();
}

void UploadWorker::set_upload(Upload upload, Cancel cancel)
{
    std::lock_guard lock(m_state->mutex);
    m_state->upload = std::move(upload);
    m_state->cancel = std::move(cancel);
}

bool UploadWorker::busy() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->busy;
}

void UploadWorker::submit(OutboxJob job)
{
    {
        std::lock_guard lock(m_state->mutex);
        m_state->job = std::move(job);
        m_state->busy = true;
    }
    m_state->wake.notify_all();
}

std::optional<std::pair<OutboxJob, UploadAnswer>> UploadWorker::take_result()
{
    std::lock_guard lock(m_state->mutex);
    if (!m_state->result) {
        return std::nullopt;  // called every loop turn: no system call unless an answer waits
    }
    std::uint64_t count = 0;
    (void)read(m_event_fd, &count, sizeof count);
    auto result = std::move(m_state->result);
    m_state->result.reset();
    m_state->busy = false;
    return result;
}

void UploadWorker::run(const std::shared_ptr<State>& state)
{
    std::unique_lock lock(state->mutex);
    while (true) {
        state->wake.wait(lock, [&] { return state->stop || state->job; });
        if (state->stop) {
            return;
        }
        OutboxJob job = std::move(*state->job);
        state->job.reset();
        Upload upload = state->upload;
        lock.unlock();
        UploadAnswer answer = upload(job);
        lock.lock();
        state->result.emplace(std::move(job), std::move(answer));
        const std::uint64_t one = 1;
        (void)write(state->event_fd, &one, sizeof one);
    }
}

}  // namespace ble2garmin::garmin
