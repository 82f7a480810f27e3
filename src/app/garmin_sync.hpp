#pragma once
// The daemon's side of Garmin Connect: runs the outbox continuously over the backup the pipeline
// writes. The HTTP call runs on the UploadWorker's thread; everything else (choosing the row,
// rewriting the CSV, the schedule) on the daemon's loop thread, in pump().
//
//   [garmin] enabled = false  nothing happens (rows stay to_import for `ble2garmin upload` or later)
//   dry_run = true            nothing is uploaded; each new measurement's FIT file is written to
//                             dry_run_directory/<account>/<T>.fit
//   otherwise                 every pending row is uploaded (oldest first per account, waits and
//                             cool-downs as garmin/outbox_schedule.hpp says), new ones right away.

#include <memory>
#include <optional>

#include "ble2garmin/config.hpp"
#include "ble2garmin/measurement.hpp"

#include "garmin/connect_uploader.hpp"
#include "garmin/outbox.hpp"
#include "garmin/upload_worker.hpp"
#include "pipeline/pipeline.hpp"

namespace ble2garmin::app {

class GarminSync {
public:
    // Takes (new) settings and users; an upload in flight finishes and is applied as usual.
    void configure(const Config& config);
    // A descriptor to poll for POLLIN (an upload finished); -1 when uploads are off.
    int fd() const { return m_worker ? m_worker->fd() : -1; }
    // Applies a finished upload and starts the next one when due. Call it every loop turn.
    void pump(pipeline::Pipeline& pipeline, SystemTime now);
    // When pump() must run again even if nothing else happens (a waiting account's time).
    std::optional<SystemTime> next_deadline() const;
    // A new measurement was recorded: upload it now (or write its dry-run file).
    void on_recorded(const Measurement& measurement);

private:
    void write_dry_run_file(const Measurement& measurement) const;
    garmin::OutboxBackups backups(pipeline::Pipeline& pipeline);

    Config m_config;
    std::shared_ptr<garmin::ConnectUploader> m_uploader;
    std::unique_ptr<garmin::Outbox> m_outbox;
    std::unique_ptr<store::OmronBackup> m_omron;
    std::unique_ptr<garmin::UploadWorker> m_worker;
    bool m_due = true;
    std::optional<SystemTime> m_wake_at;  // a waiting account's time, when nothing else is due
};

}  // namespace ble2garmin::app
