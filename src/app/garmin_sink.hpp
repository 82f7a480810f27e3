#pragma once
// The Garmin Connect sink: runs the outbox continuously over the store. The HTTP call runs on the
// UploadWorker's thread; everything else (choosing the row, the store, the schedule) on the daemon's
// loop thread, in pump().
//
//   [garmin] enabled = false  nothing happens (rows of users without uploads are stored `local`)
//   dry_run = true            nothing is uploaded; each new measurement's FIT file is written to
//                             dry_run_directory/<account>/<T>.fit
//   otherwise                 every waiting row is uploaded (oldest first per account, waits and
//                             cool-downs as garmin/outbox/outbox_schedule.hpp says), new ones right away.
//
// Upload results go to the store at once and to the CSV when the queue runs dry (one rewrite for a
// backlog) and at stop.

#include <memory>
#include <optional>

#include "app/sink.hpp"
#include "garmin/outbox/connect_uploader.hpp"
#include "garmin/outbox/outbox.hpp"
#include "garmin/outbox/upload_worker.hpp"

namespace ble2garmin::app {

class GarminSink final : public Sink {
public:
    GarminSink(const Config& config, store::MeasurementStore& store);
    ~GarminSink() override;

    void on_recorded(const Measurement& measurement) override;
    void reload(const Config& config, store::MeasurementStore& store) override;
    std::vector<int> fds() const override;
    void pump(SystemTime now) override;
    std::optional<SystemTime> next_deadline() const override;
    void drain() override;
    std::string status() const override;

private:
    void write_dry_run_file(const Measurement& measurement) const;
    // Writes the upload results to the CSV; on failure tries again a minute later.
    void flush(SystemTime now);

    Config m_config;
    store::MeasurementStore* m_store;
    std::shared_ptr<garmin::ConnectUploader> m_uploader;
    std::unique_ptr<garmin::Outbox> m_outbox;
    std::unique_ptr<garmin::UploadWorker> m_worker;
    bool m_due = true;
    std::optional<SystemTime> m_wake_at;   // a waiting account's time, when nothing else is due
    std::optional<SystemTime> m_flush_at;  // a failed CSV rewrite is tried again then
    std::string m_last_flush_error;
};

}  // namespace ble2garmin::app
