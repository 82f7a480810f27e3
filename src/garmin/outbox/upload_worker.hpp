#pragma once
// Runs one Garmin upload at a time on its own thread, so that a slow or dead network never holds
// up the daemon's D-Bus loop (an upload may take up to the configured timeout). The loop hands a
// job over, polls fd() with its other descriptors, and takes the answer back; the outbox and the
// CSV are only ever touched by the loop's thread.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "garmin/outbox/outbox.hpp"

namespace ble2garmin::garmin {

class UploadWorker {
public:
    using Upload = std::function<UploadAnswer(const OutboxJob&)>;
    // Makes an upload in progress return soon (any thread), e.g. ConnectUploader::cancel.
    using Cancel = std::function<void()>;

    UploadWorker(Upload upload, Cancel cancel);
    // Stops the thread and joins it: an upload in progress is cancelled first, so this takes about
    // a second at most, not the HTTP timeout. Its row stays pending (sent again later; Garmin
    // answers 409 if the cancelled request had reached it after all).
    ~UploadWorker();
    UploadWorker(const UploadWorker&) = delete;
    UploadWorker& operator=(const UploadWorker&) = delete;

    // Replaces the upload and cancel functions for the next jobs (configuration reloaded).
    void set_upload(Upload upload, Cancel cancel);
    // True from submit() until take_result() returned the answer.
    bool busy() const;
    // Starts `job`; only when not busy().
    void submit(OutboxJob job);
    // Readable (POLLIN) when an answer is waiting.
    int fd() const { return m_event_fd; }
    // The finished job and its answer, if one is waiting.
    std::optional<std::pair<OutboxJob, UploadAnswer>> take_result();

private:
    // Shared with the thread.
    struct State {
        ~State();
        std::mutex mutex;
        std::condition_variable wake;
        Upload upload;
        Cancel cancel;
        std::optional<OutboxJob> job;                              // submitted, not yet started
        std::optional<std::pair<OutboxJob, UploadAnswer>> result;  // finished, not yet taken
        bool busy = false;
        bool stop = false;
        int event_fd = -1;
    };
    static void run(const std::shared_ptr<State>& state);

    std::shared_ptr<State> m_state;
    int m_event_fd = -1;
    std::thread m_thread;
};

}  // namespace ble2garmin::garmin
