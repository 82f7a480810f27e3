#include "garmin/outbox.hpp"

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

std::optional<OutboxJob> Outbox::next_job(const OutboxBackups& backups, SystemTime now)
{
    std::set<std::string> waiting;  // accounts whose oldest row is not next: keep their order
    if (auto job = next_scale_job(backups, now, waiting)) {
        return job;
    }
    if (backups.omron != nullptr) {
        return next_blood_pressure_job(*backups.omron, now, waiting);
    }
    return std::nullopt;
}

std::optional<OutboxJob> Outbox::next_scale_job(const OutboxBackups& backups, SystemTime now,
                                                std::set<std::string>& waiting)
{
    for (const auto& row : backups.miscale.pending()) {
        if (m_schedule.is_parked(row.unix_time())) {
            skip_once(row.unix_time(), "parked after Garmin refused it (see garmin_outbox.json)");
            continue;
        }
        const auto user = owner_of_row(row, backups.owners, m_users);
        if (!user) {
            skip_once(row.unix_time(),
                      fmt::format("no user's weight range matches {:.1f} kg", row.weight_kg()));
            continue;
        }
        if (user->garmin_email.empty()) {
            skip_once(row.unix_time(), "user " + user->name + " has no garmin_email");
            continue;
        }
        if (!account_may_go(user->garmin_email, now, waiting)) {
            continue;
        }
        auto upload = prepare_scale_upload(row, *user);
        if (!upload) {
            // The values can never make a valid upload; later rows must not wait behind it.
            logger()->error("row can never be uploaded, parked: {} row={} user={}", upload.error().message,
                            row.unix_time(), user->name);
            m_schedule.park(row.unix_time(), upload.error().message);
            save_schedule();
            if (row.status() == store::RowStatus::to_import) {
                (void)backups.miscale.mark_failed(row.unix_time());
            }
            continue;
        }
        return OutboxJob{user->garmin_email, std::move(*upload)};
    }
    return std::nullopt;
}

std::optional<OutboxJob> Outbox::next_blood_pressure_job(store::OmronBackup& omron, SystemTime now,
                                                         std::set<std::string>& waiting)
{
    for (const auto& row : omron.pending()) {
        if (m_schedule.is_parked(row.unix_time)) {
            skip_once(row.unix_time, "parked after Garmin refused it (see garmin_outbox.json)");
            continue;
        }
        // export2garmin's placeholder account means "no Garmin account".
        if (row.email.empty() || row.email.find("email@email.com") != std::string::npos) {
            skip_once(row.unix_time, "blood-pressure row without a Garmin account");
            continue;
        }
        if (!account_may_go(row.email, now, waiting)) {
            continue;
        }
        auto upload = prepare_blood_pressure_upload(row);
        if (!upload) {
            logger()->error("row can never be uploaded, parked: {} row={}", upload.error().message,
                            row.unix_time);
            m_schedule.park(row.unix_time, upload.error().message);
            save_schedule();
            (void)omron.mark_failed(row.unix_time);
            continue;
        }
        return OutboxJob{row.email, std::move(*upload)};
    }
    return std::nullopt;
}

void Outbox::finish(const OutboxJob& job, const UploadAnswer& answer, const OutboxBackups& backups,
                    SystemTime now)
{
    const std::int64_t row = job.unix_time();
    const auto mark_failed = [&] {
        if (job.scale() != nullptr) {
            (void)backups.miscale.mark_failed(row);
        } else if (backups.omron != nullptr) {
            (void)backups.omron->mark_failed(row);
        }
    };
    const auto wait =
        m_schedule.on_outcome(job.email, answer.outcome, now, answer.retry_after, answer.message);
    switch (answer.outcome) {
        case ApiOutcome::success:
        case ApiOutcome::duplicate: {
            Result<void> marked = make_error("no blood-pressure backup open");
            if (const auto* scale = job.scale()) {
                marked = backups.miscale.mark_uploaded(
                    row, {scale->composition, job.email, scale->measured_at, now});
            } else if (backups.omron != nullptr) {
                marked = backups.omron->mark_uploaded(row, now);
            }
            if (!marked) {
                // Garmin has it; the row stays pending and a retry is answered 409 and marks it then.
                // The account waits like after a transient failure, or the same row would be sent
                // again at once, in a loop, for as long as the backup cannot be written.
                logger()->error("uploaded, but the backup row was not updated: {} row={}",
                                marked.error().message, row);
                (void)m_schedule.on_outcome(job.email, ApiOutcome::transient, now, std::nullopt,
                                            "backup not updated: " + marked.error().message);
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
            mark_failed();
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
            mark_failed();
            m_schedule.park(row, answer.message);
            logger()->error("Garmin refused the row, parked: {} row={} account={}", answer.message, row,
                            job.email);
            break;
    }
    save_schedule();
}

}  // namespace ble2garmin::garmin
