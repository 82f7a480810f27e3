#include "garmin/outbox/outbox.hpp"

#include <fmt/format.h>

#include "log/logging.hpp"
#include "util/time.hpp"

namespace ble2garmin::garmin {
namespace {

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("garmin");
}

}  // namespace

void Outbox::skip_once(std::int64_t unix_time, const std::string& why)
{
    if (m_skipped.insert(unix_time).second) {
        logger()->warn("row not uploaded: {} row={}", why, unix_time);
    }
}

void Outbox::save_schedule()
{
    if (auto saved = m_schedule.save(); !saved) {
        logger()->warn("upload schedule not saved: {}", saved.error().message);
    }
}

std::int64_t OutboxJob::unix_time() const
{
    return scale() != nullptr ? scale()->unix_time : blood_pressure()->unix_time;
}

std::string OutboxJob::describe() const
{
    const auto local = to_local(from_unix_seconds(unix_time()));
    if (const auto* upload = scale()) {
        return fmt::format("{} {}  {:<8} {:6.2f} kg  → {}", local.date, local.time, upload->user.name,
                           upload->composition.weight, email);
    }
    const auto* bp = blood_pressure();
    return fmt::format("{} {}  {}/{} mmHg, pulse {}  → {}", local.date, local.time, bp->systolic,
                       bp->diastolic, bp->pulse, email);
}

bool Outbox::account_may_go(const std::string& email, SystemTime now, std::set<std::string>& waiting)
{
    if (waiting.contains(email)) {
        return false;
    }
    if (const auto until = m_schedule.waiting_until(email, now)) {
        if (m_waiting_logged.insert(email).second) {
            logger()->info("uploads for {} wait until {}", email, format_iso_utc(*until));
        }
        waiting.insert(email);
        return false;
    }
    m_waiting_logged.erase(email);
    return true;
}

std::optional<std::string> Outbox::skip_reason(const store::PendingScale& pending) const
{
    if (m_schedule.is_parked(pending.row.unix_time())) {
        return "parked: it was refused (ble2garmin upload --list says why; --retry-parked tries again)";
    }
    if (!pending.user) {
        return pending.why_incomplete.empty() ? "no user for this row" : pending.why_incomplete;
    }
    if (pending.user->garmin_email.empty()) {
        return "user " + pending.user->name + " has no garmin_email";
    }
    return std::nullopt;
}

std::optional<std::string> Outbox::skip_reason(const store::OmronRow& row) const
{
    if (m_schedule.is_parked(row.unix_time)) {
        return "parked: it was refused (ble2garmin upload --list says why; --retry-parked tries again)";
    }
    if (is_no_account(row.email)) {
        return "blood-pressure row without a Garmin account";
    }
    return std::nullopt;
}

void Outbox::park(store::MeasurementStore& store, store::BackupKind kind, std::int64_t row,
                  const std::string& why)
{
    m_schedule.park(row, why);
    save_schedule();
    store.mark_failed(kind, row);
}

std::optional<OutboxJob> Outbox::next_job(store::MeasurementStore& store, SystemTime now)
{
    std::set<std::string> waiting;  // accounts whose oldest row is not next: keep their order
    if (auto job = next_scale_job(store, now, waiting)) {
        return job;
    }
    return next_blood_pressure_job(store, now, waiting);
}

std::optional<OutboxJob> Outbox::next_scale_job(store::MeasurementStore& store, SystemTime now,
                                                std::set<std::string>& waiting)
{
    // A copy: parking a row changes the store's list.
    const std::vector<store::PendingScale> rows = store.pending_scale();
    for (const auto& pending : rows) {
        const std::int64_t time = pending.row.unix_time();
        if (const auto why = skip_reason(pending)) {
            skip_once(time, *why);
            continue;
        }
        if (!account_may_go(pending.user->garmin_email, now, waiting)) {
            continue;
        }
        auto upload = prepare_scale_upload(pending);
        if (!upload) {
            // The values can never make a valid upload; later rows must not wait behind it.
            logger()->error("row can never be uploaded, parked: {} row={} user={}", upload.error().message,
                            time, pending.user->name);
            park(store, store::BackupKind::scale, time, upload.error().message);
            continue;
        }
        return OutboxJob{pending.user->garmin_email, std::move(*upload)};
    }
    return std::nullopt;
}

std::optional<OutboxJob> Outbox::next_blood_pressure_job(store::MeasurementStore& store, SystemTime now,
                                                         std::set<std::string>& waiting)
{
    const std::vector<store::OmronRow> rows = store.pending_blood_pressure();
    for (const auto& row : rows) {
        if (const auto why = skip_reason(row)) {
            skip_once(row.unix_time, *why);
            continue;
        }
        if (!account_may_go(row.email, now, waiting)) {
            continue;
        }
        auto upload = prepare_blood_pressure_upload(row);
        if (!upload) {
            logger()->error("row can never be uploaded, parked: {} row={}", upload.error().message,
                            row.unix_time);
            park(store, store::BackupKind::blood_pressure, row.unix_time, upload.error().message);
            continue;
        }
        return OutboxJob{row.email, std::move(*upload)};
    }
    return std::nullopt;
}

void Outbox::finish(const OutboxJob& job, const UploadAnswer& answer, store::MeasurementStore& store,
                    SystemTime now)
{
    const std::int64_t row = job.unix_time();
    const auto kind = job.scale() != nullptr ? store::BackupKind::scale : store::BackupKind::blood_pressure;
    const auto wait =
        m_schedule.on_outcome(job.email, answer.outcome, now, answer.retry_after, answer.message);
    switch (answer.outcome) {
        case ApiOutcome::success:
        case ApiOutcome::duplicate: {
            if (auto marked = store.mark_uploaded(kind, row, job.email, now); !marked) {
                logger()->error("uploaded, but the backup row was not updated: {} row={}",
                                marked.error().message, row);
            }
            if (answer.not_visible) {
                // Garmin has accepted it, so sending it again would only be a 409: say so instead.
                logger()->warn("Garmin accepted the upload, but {}; check Garmin Connect row={} account={}",
                               *answer.not_visible, row, job.email);
            }
            logger()->info(
                "uploaded to Garmin Connect{} row={} {} account={}",
                answer.outcome == ApiOutcome::duplicate ? " (it was there already)" : "", row,
                job.scale() != nullptr ? "user=" + job.scale()->user.name : std::string("blood_pressure"),
                job.email);
            break;
        }
        case ApiOutcome::transient:
            store.mark_failed(kind, row);
            logger()->warn("upload failed, retrying in {} s: {} row={} account={}", wait.count(),
                           answer.message, row, job.email);
            break;
        case ApiOutcome::rate_limited:
            logger()->warn("Garmin is rate limiting, uploads for {} paused for {} s: {} row={}", job.email,
                           wait.count(), answer.message, row);
            break;
        case ApiOutcome::auth_failed:
            logger()->error(
                "Garmin refused the login of {}: run `ble2garmin login --email {}`; retrying in {} s: {}",
                job.email, job.email, wait.count(), answer.message);
            break;
        case ApiOutcome::rejected:
            store.mark_failed(kind, row);
            m_schedule.park(row, answer.message);
            logger()->error("Garmin refused the row, parked: {} row={} account={}", answer.message, row,
                            job.email);
            break;
    }
    save_schedule();
}

}  // namespace ble2garmin::garmin
