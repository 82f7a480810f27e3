#pragma once
// The Garmin outbox: the CSV backups' status columns are the queue (export2garmin's model), this
// class decides which row goes next and what an answer does to it. Two backups feed it:
// miscale_backup.csv (body composition, a FIT upload) and omron_backup.csv (blood pressure, a JSON
// post); body-composition rows go first, and an account has one order and one wait for both.
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
#include <variant>
#include <vector>

#include "ble2garmin/user.hpp"

#include "garmin/api_outcome.hpp"
#include "garmin/blood_pressure_upload.hpp"
#include "garmin/outbox_schedule.hpp"
#include "garmin/scale_upload.hpp"
#include "store/miscale_backup.hpp"
#include "store/omron_backup.hpp"
#include "store/row_owners.hpp"

namespace ble2garmin::garmin {

struct OutboxJob {
    std::string email;
    std::variant<ScaleUpload, BloodPressureUpload> payload;

    std::int64_t unix_time() const;
    const ScaleUpload* scale() const { return std::get_if<ScaleUpload>(&payload); }
    const BloodPressureUpload* blood_pressure() const { return std::get_if<BloodPressureUpload>(&payload); }
    // "15.07.2024 22:50  adam  55.20 kg → a@x" or "15.07.2024 08:30  120/80 mmHg, pulse 60 → a@x"
    std::string describe() const;
};

// The backups the outbox works on; `omron` may be null (no blood-pressure backup).
struct OutboxBackups {
    store::MiscaleBackup& miscale;
    const store::RowOwners& owners;
    store::OmronBackup* omron = nullptr;
};

// What Garmin (or the transport) said about one upload.
struct UploadAnswer {
    ApiOutcome outcome = ApiOutcome::transient;
    std::optional<long> retry_after;  // seconds, with rate_limited
    std::string message;              // one line, no secrets
    // Set when the upload was accepted but reading it back did not find it (verify_uploads).
    std::optional<std::string> not_visible;
};

class Outbox {
public:
    Outbox(std::vector<User> users, OutboxSchedule schedule)
        : m_users(std::move(users)), m_schedule(std::move(schedule))
    {
    }

    // The next row to upload at `now`, or nullopt when every pending row waits or is skipped.
    // Rows whose values can never be uploaded are parked and marked failed on the way.
    std::optional<OutboxJob> next_job(const OutboxBackups& backups, SystemTime now);

    // Applies `answer` for `job` at `now` to its backup and the schedule (saved).
    void finish(const OutboxJob& job, const UploadAnswer& answer, const OutboxBackups& backups,
                SystemTime now);

    // When a waiting account may be tried again (after `now`); nullopt when none waits.
    std::optional<SystemTime> next_attempt(SystemTime now) const { return m_schedule.next_attempt(now); }
    OutboxSchedule& schedule() { return m_schedule; }

private:
    std::optional<OutboxJob> next_scale_job(const OutboxBackups& backups, SystemTime now,
                                            std::set<std::string>& waiting);
    std::optional<OutboxJob> next_blood_pressure_job(store::OmronBackup& omron, SystemTime now,
                                                     std::set<std::string>& waiting);
    // False when `email` waits (logged once per wait); `waiting` collects such accounts.
    bool account_may_go(const std::string& email, SystemTime now, std::set<std::string>& waiting);
    void skip_once(std::int64_t unix_time, const std::string& why);
    void save_schedule();

    std::vector<User> m_users;
    OutboxSchedule m_schedule;
    std::set<std::int64_t> m_skipped;  // rows already logged as skipped
    std::set<std::string> m_waiting_logged;
};

}  // namespace ble2garmin::garmin
