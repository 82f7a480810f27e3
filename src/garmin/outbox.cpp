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

std::optional<OutboxJob> Outbox::next_job(store::MiscaleBackup& backup, const store::RowOwners& owners,
                                          SystemTime now)
{
    std::set<std::string> waiting;  // accounts whose oldest row is not next: keep their order
    for (const auto& row : backup.pending()) {
        if (m_schedule.is_parked(row.unix_time())) {
            skip_once(row.unix_time(), "parked after Garmin refused it (see garmin_outbox.json)");
            continue;
        }
        const auto user = owner_of_row(row, owners, m_users);
        if (!user) {
            skip_once(row.unix_time(),
                      fmt::format("no user's weight range matches {:.1f} kg", row.weight_kg()));
            continue;
        }
        if (user->garmin_email.empty()) {
            skip_once(row.unix_time(), "user " + user->name + " has no garmin_email");
            continue;
        }
        const std::string& email = user->garmin_email;
        if (waiting.contains(email)) {
            continue;
        }
        if (const auto until = m_schedule.waiting_until(email, now)) {
            if (m_waiting_logged.insert(email).second) {
                logger()->info("uploads for {} wait until {}", email, format_iso_utc(*until));
            }
            waiting.insert(email);
            continue;
        }
        m_waiting_logged.erase(email);
        auto upload = prepare_scale_upload(row, *user);
        if (!upload) {
            // The values can never make a valid upload; later rows must not wait behind it.
            logger()->error("row can never be uploaded, parked: {} row={} user={}", upload.error().message,
                            row.unix_time(), user->name);
            m_schedule.park(row.unix_time(), upload.error().message);
            save_schedule();
            if (row.status() == store::RowStatus::to_import) {
                (void)backup.mark_failed(row.unix_time());
            }
            continue;
        }
        return OutboxJob{email, std::move(*upload)};
    }
    return std::nullopt;
}

void Outbox::finish(const OutboxJob& job, const UploadAnswer& answer, store::MiscaleBackup& backup,
                    SystemTime now)
{
    const std::int64_t row = job.upload.unix_time;
    const auto wait =
        m_schedule.on_outcome(job.email, answer.outcome, now, answer.retry_after, answer.message);
    switch (answer.outcome) {
        case ApiOutcome::success:
        case ApiOutcome::duplicate: {
            store::UploadedScale uploaded{job.upload.composition, job.email, job.upload.measured_at, now};
            if (auto marked = backup.mark_uploaded(row, uploaded); !marked) {
                // Garmin has it; a retry would be answered 409 and mark it then.
                logger()->error("uploaded, but the backup row was not updated: {} row={}",
                                marked.error().message, row);
            }
            logger()->info("uploaded to Garmin Connect{} row={} user={} account={}",
                           answer.outcome == ApiOutcome::duplicate ? " (it was there already)" : "", row,
                           job.upload.user.name, job.email);
            break;
        }
        case ApiOutcome::transient:
            (void)backup.mark_failed(row);
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
            (void)backup.mark_failed(row);
            m_schedule.park(row, answer.message);
            logger()->error("Garmin refused the row, parked: {} row={} account={}", answer.message, row,
                            job.email);
            break;
    }
    save_schedule();
}

}  // namespace ble2garmin::garmin
