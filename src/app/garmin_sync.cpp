#include "app/garmin_sync.hpp"

#include <fstream>

#include "fit/weight_scale_file.hpp"
#include "log/logging.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("garmin");
}

}  // namespace

void GarminSync::configure(const Config& config)
{
    m_config = config;
    m_due = true;
    if (!config.garmin.enabled || config.garmin.dry_run) {
        m_outbox.reset();
        if (config.garmin.enabled) {
            logger()->info("Garmin dry run: nothing is uploaded; FIT files go to {}",
                           config.garmin_dry_run_directory().string());
        }
        return;
    }
    // omron_backup.csv: blood-pressure rows (today those an export2garmin installation left pending).
    auto omron = store::OmronBackup::open(config.omron_csv_path());
    if (omron) {
        m_omron = std::make_unique<store::OmronBackup>(std::move(*omron));
    } else {
        m_omron.reset();
        logger()->warn("blood-pressure backup not read, its rows are not uploaded: {}",
                       omron.error().message);
    }
    m_outbox = std::make_unique<garmin::Outbox>(
        config.users,
        garmin::OutboxSchedule::open(config.general.state_directory / garmin::k_outbox_state_file));
    m_uploader = std::make_shared<garmin::ConnectUploader>(config);
    auto upload = [uploader = m_uploader](const garmin::OutboxJob& job) { return uploader->upload(job); };
    if (m_worker) {
        m_worker->set_upload(upload);
    } else {
        m_worker = std::make_unique<garmin::UploadWorker>(upload);
    }
}

garmin::OutboxBackups GarminSync::backups(pipeline::Pipeline& pipeline)
{
    return {pipeline.miscale_backup_for_update(), pipeline.row_owners(), m_omron.get()};
}

void GarminSync::pump(pipeline::Pipeline& pipeline, SystemTime now)
{
    if (!m_worker) {
        return;
    }
    if (auto finished = m_worker->take_result()) {
        if (m_outbox) {
            m_outbox->finish(finished->first, finished->second, backups(pipeline), now);
        }
        m_due = true;
    }
    if (!m_outbox || m_worker->busy()) {
        return;
    }
    if (m_wake_at && *m_wake_at <= now) {
        m_due = true;
    }
    if (!m_due) {
        return;
    }
    m_due = false;
    if (auto job = m_outbox->next_job(backups(pipeline), now)) {
        logger()->debug("uploading row={} account={}", job->unix_time(), job->email);
        m_worker->submit(std::move(*job));
        m_wake_at.reset();
        return;
    }
    // Nothing to send now: come back when the first waiting account may try again.
    m_wake_at = m_outbox->next_attempt(now);
}

std::optional<SystemTime> GarminSync::next_deadline() const
{
    if (!m_outbox || (m_worker && m_worker->busy())) {
        return std::nullopt;
    }
    if (m_due) {
        return SystemTime{};
    }
    return m_wake_at;
}

void GarminSync::on_recorded(const Measurement& measurement)
{
    m_due = true;
    if (m_config.garmin.enabled && m_config.garmin.dry_run) {
        write_dry_run_file(measurement);
    }
}

void GarminSync::write_dry_run_file(const Measurement& measurement) const
{
    if (!measurement.user || measurement.user->garmin_email.empty() || !measurement.composition) {
        return;
    }
    auto fit = fit::encode_weight_scale_file(
        fit::make_weight_scale_entry(*measurement.composition, measurement.measured_at));
    if (!fit) {
        logger()->warn("dry run: no FIT file for this measurement: {}", fit.error().message);
        return;
    }
    const auto folder = m_config.garmin_dry_run_directory() / measurement.user->garmin_email;
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    const auto path = folder / (std::to_string(to_unix_seconds(measurement.measured_at)) + ".fit");
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(fit->data()), static_cast<std::streamsize>(fit->size()));
    file.close();
    if (error || !file) {
        logger()->warn("dry run: cannot write {}", path.string());
        return;
    }
    logger()->info("dry run: FIT file written instead of an upload path={}", path.string());
}

}  // namespace ble2garmin::app
