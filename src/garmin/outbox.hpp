#pragma once
// The Garmin outbox: the CSV backup's status column is the queue (export2garmin's model), this
// class decides which row goes next and what an answer does to it.
//
//   next_job()  the oldest to_import/failed row whose account may be tried now — every account has
//               its own order and its own wait, so one account's trouble never blocks another's
//               rows. Rows nobody owns, rows of a user without garmin_email and parked rows are
//               skipped (logged once each).
//   finish()    applies Garmin's answer: success or 409 duplicate → the row becomes `uploaded`
//               (export2garmin's uploaded row with the upload date/time and the difference
//               columns); transient → the row becomes `failed` and the account waits; 429 / login
//               needed → the row stays as it is and the account waits; 4xx → `failed` and parked.
// A row becomes `uploaded` only after Garmin accepted it, and the FIT bytes of a row never change,
// so a crash between upload and rewrite at worst sends it once more and gets 409 — never a second
// weigh-in. Single-threaded: the daemon calls it from its loop, the HTTP call runs elsewhere.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ble2garmin/user.hpp"

#include "garmin/api_outcome.hpp"
#include "garmin/outbox_schedule.hpp"
#include "garmin/scale_upload.hpp"
#include "store/miscale_backup.hpp"
#include "store/row_owners.hpp"

namespace ble2garmin::garmin {

struct OutboxJob {
    std::string email;
    ScaleUpload upload;
};

// What Garmin (or the transport) said about one upload.
struct UploadAnswer {
    ApiOutcome outcome = ApiOutcome::transient;
    std::optional<long> retry_after;  // seconds, with rate_limited
    std::string message;              // one line, no secrets
};

class Outbox {
public:
    Outbox(std::vector<User> users, OutboxSchedule schedule)
        : m_users(std::move(users)), m_schedule(std::move(schedule))
    {
    }

    // The next row to upload at `now`, or nullopt when every pending row waits or is skipped.
    // Rows whose values can never be uploaded are parked and marked failed on the way.
    std::optional<OutboxJob> next_job(store::MiscaleBackup& backup, const store::RowOwners& owners,
                                      SystemTime now);

    // Applies `answer` for `job` at `now` to the backup and the schedule (saved).
    void finish(const OutboxJob& job, const UploadAnswer& answer, store::MiscaleBackup& backup,
                SystemTime now);

    // When a waiting account may be tried again (after `now`); nullopt when none waits.
    std::optional<SystemTime> next_attempt(SystemTime now) const { return m_schedule.next_attempt(now); }
    OutboxSchedule& schedule() { return m_schedule; }

private:
    void skip_once(std::int64_t unix_time, const std::string& why);
    void save_schedule();

    std::vector<User> m_users;
    OutboxSchedule m_schedule;
    std::set<std::int64_t> m_skipped;  // rows already logged as skipped
    std::set<std::string> m_waiting_logged;
};

}  // namespace ble2garmin::garmin
