#pragma once
// The rowing watch folder ([rowing] watch_dir, docs/rowing.md): a TCX file that appears there — a
// session synced from the phone — is converted to a FIT activity (written beside it as <name>.fit)
// and uploaded to the Garmin account of [rowing] user, through Garmin's upload-service. It is a sink
// because it lives on the daemon's loop like one (an fd, a deadline, reload, drain), though what it
// consumes comes from the folder, not from the scales.
//
//   inotify            IN_CLOSE_WRITE and IN_MOVED_TO only: a file still being written (or copied)
//                      is taken when its writer closes it, a file moved in is complete by then.
//                      At start and after an inotify overflow the folder is scanned for *.tcx.
//   exactly once       every session (by a hash of its bytes) is recorded in the state directory's
//                      rowing_sessions.json once Garmin has it (uploaded or 409 "already there") or
//                      refused it (4xx), or when it is not a readable TCX. A crash between Garmin's
//                      answer and the record sends the same FIT again, which Garmin answers 409.
//   failures           no network, 5xx, 429, no tokens: the session waits and is tried again after
//                      1, 2, 4 … minutes (at most an hour); the next start tries it at once.
//   [garmin] off / dry_run   the FIT is written, nothing is uploaded or recorded (enabling Garmin
//                      later uploads it).
// The upload runs on its own thread (BackgroundCall); the file work (reading, converting: ~10 ms for
// two hours of rowing) on the loop's.

#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "app/background_call.hpp"
#include "app/sink.hpp"
#include "garmin/connect_client.hpp"
#include "rowing/session_ledger.hpp"

namespace ble2garmin::app {

class RowingWatchSink final : public Sink {
public:
    explicit RowingWatchSink(const Config& config);
    ~RowingWatchSink() override;

    void on_recorded(const Measurement&) override {}
    void reload(const Config& config, store::MeasurementStore& store) override;
    std::vector<int> fds() const override;
    void pump(SystemTime now) override;
    std::optional<SystemTime> next_deadline() const override;
    void drain() override;
    std::string status() const override;

private:
    struct Upload {
        std::filesystem::path tcx_path;
        std::string key;
        rowing::SessionRecord record;
        std::string fit_name;
        Bytes fit;
        garmin::ApiResponse response;  // written by the upload thread
    };

    void configure(const Config& config);
    void stop_watching();
    void scan_folder();
    void read_events();
    // Converts the next waiting file and starts its upload; false when the queue is empty.
    bool start_next(SystemTime now);
    void finish_upload(SystemTime now);
    void remember(const std::string& key, rowing::SessionRecord record);
    void finish_session(const Upload& upload, rowing::SessionRecord record);

    Config m_config;
    std::string m_email;
    int m_inotify_fd = -1;
    std::optional<rowing::SessionLedger> m_ledger;
    std::deque<std::filesystem::path> m_queue;
    std::unique_ptr<BackgroundCall> m_call;
    std::shared_ptr<Upload> m_upload;  // in flight
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    int m_failures = 0;
    std::optional<SystemTime> m_retry_at;
};

}  // namespace ble2garmin::app
