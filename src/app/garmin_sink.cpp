#include "app/garmin_sink.hpp"

#include "app/upload_runner.hpp"
#include "fit/weight_scale_file.hpp"
#include "log/logging.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

constexpr std::chrono::seconds k_flush_retry{60};

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("garmin");
}

}  // namespace

GarminSink::GarminSink(const Config& config, store::MeasurementStore& store) : m_store(&store)
{
    reload(config, store);
}

GarminSink::~GarminSink()
{
    drain();
}

void GarminSink::reload(const Config& config, store::MeasurementStore& store)
{
    m_config = config;
    m_store = &store;
    m_due = true;
    if (!config.garmin.enabled || config.garmin.dry_run) {
        m_outbox.reset();
        if (config.garmin.enabled) {
            logger()->info("Garmin dry run: nothing is uploaded; FIT files go to {}",
                           config.garmin_dry_run_directory().string());
        }
        return;
    }
    m_outbox = std::make_unique<garmin::Outbox>(
        garmin::OutboxSchedule::open(config.general.state_directory / garmin::k_outbox_state_file));
    m_uploader = std::make_shared<garmin::ConnectUploader>(config);
    auto upload = [uploader = m_uploader](const garmin::OutboxJob& job) { return uploader->upload(job); };
    auto cancel = [uploader = m_uploader] { uploader->cancel(); };
    if (m_worker) {
        m_worker->set_upload(upload, cancel);
    } else {
        m_worker = std::make_unique<garmin::UploadWorker>(upload, cancel);
    }
}

std::vector<int> GarminSink::fds() const
{
    // An upload finishing wakes the loop.
    return m_worker ? std::vector<int>{m_worker->fd()} : std::vector<int>{};
}

void GarminSink::flush(SystemTime now)
{
    if (m_store->unwritten_changes() == 0) {
        m_flush_at.reset();
        return;
    }
    if (auto flushed = m_store->flush(); !flushed) {
        if (flushed.error().message != m_last_flush_error) {
            logger()->error("upload results not written to the backup, trying again in {} s: {}",
                            k_flush_retry.count(), flushed.error().message);
            m_last_flush_error = flushed.error().message;
        }
        m_flush_at = now + k_flush_retry;
        return;
    }
    if (!m_last_flush_error.empty()) {
        logger()->info("upload results written to the backup");
        m_last_flush_error.clear();
    }
    m_flush_at.reset();
}

void GarminSink::pump(SystemTime now)
{
    if (m_flush_at && *m_flush_at <= now) {
        flush(now);
    }
    if (!m_worker) {
        return;
    }
    if (auto finished = m_worker->take_result()) {
        if (m_outbox) {
            m_outbox->finish(finished->first, finished->second, *m_store, now);
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
    if (auto job = m_outbox->next_job(*m_store, now)) {
        logger()->debug("uploading row={} account={}", job->unix_time(), job->email);
        m_worker->submit(std::move(*job));
        m_wake_at.reset();
        return;
    }
    // Nothing to send now: write the results of the pass, come back when the first waiting account
    // may try again.
    flush(now);
    m_wake_at = m_outbox->next_attempt(now);
}

std::optional<SystemTime> GarminSink::next_deadline() const
{
    std::optional<SystemTime> deadline = m_flush_at;
    const auto earliest = [&](std::optional<SystemTime> other) {
        if (other && (!deadline || *other < *deadline)) {
            deadline = other;
        }
    };
    if (m_outbox && !(m_worker && m_worker->busy())) {
        earliest(m_due ? std::optional<SystemTime>(SystemTime{}) : m_wake_at);
    }
    return deadline;
}

void GarminSink::on_recorded(const Measurement& measurement)
{
    m_due = true;
    if (m_config.garmin.enabled && m_config.garmin.dry_run) {
        write_dry_run_file(measurement);
    }
}

void GarminSink::drain()
{
    if (m_worker) {
        // An answer that already arrived still counts; one in flight is cancelled (its row stays
        // pending and goes out at the next start).
        if (auto finished = m_worker->take_result(); finished && m_outbox) {
            m_outbox->finish(finished->first, finished->second, *m_store, std::chrono::system_clock::now());
        }
        m_worker.reset();
    }
    flush(std::chrono::system_clock::now());
}

std::string GarminSink::status() const
{
    if (!m_outbox) {
        return {};
    }
    std::size_t waiting = 0;
    for (const auto& pending : m_store->pending_scale()) {
        waiting += m_outbox->skip_reason(pending) ? 0U : 1U;
    }
    for (const auto& row : m_store->pending_blood_pressure()) {
        waiting += m_outbox->skip_reason(row) ? 0U : 1U;
    }
    if (waiting == 0) {
        return {};
    }
    return std::to_string(waiting) + (waiting == 1 ? " upload pending" : " uploads pending");
}

void GarminSink::write_dry_run_file(const Measurement& measurement) const
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
    auto path = app::write_dry_run_file(m_config.garmin_dry_run_directory(), measurement.user->garmin_email,
                                        to_unix_seconds(measurement.measured_at), *fit);
    if (!path) {
        logger()->warn("dry run: {}", path.error().message);
        return;
    }
    logger()->info("dry run: FIT file written instead of an upload path={}", path->string());
}

}  // namespace ble2garmin::app
