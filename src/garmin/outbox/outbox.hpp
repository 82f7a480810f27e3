#pragma once
// The Garmin outbox: the CSV backups' status columns are the queue (export2garmin's model), kept by
// the measurement store; this class decides which row goes next and what an answer does to it. Two
// kinds of rows feed it: scale rows (body composition, a FIT upload) and blood-pressure rows (a JSON
// post); scale rows go first, and an account has one order and one wait for both.
//
//   next_job()  the oldest to_import/failed row whose account may be tried now — every account has
//               its own order and its own wait, so one account's trouble never blocks another's
//               rows. Rows without a user, rows of a user without garmin_email and parked rows are
//               skipped (logged once each; skip_reason() says why).
//   finish()    applies Garmin's answer: success or 409 duplicate → the row becomes `uploaded`
//               (export2garmin's uploaded row with the upload date/time and the difference
//               columns); transient → the row becomes `failed` and the account waits; 429 / login
//               needed → the row stays as it is and the account waits; 4xx → `failed` and parked.
// The store applies the changes in memory at once and on disk at its flush(); the caller flushes
// when the queue runs dry (one rewrite for a whole backlog). A row becomes `uploaded` only after
// Garmin accepted it, and the FIT bytes of a row never change, so a crash before the flush at worst
// sends it once more and gets 409 — never a second weigh-in. Single-threaded: the daemon calls it
// from its loop, the HTTP call runs elsewhere.

#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "garmin/http/api_outcome.hpp"
#include "garmin/outbox/blood_pressure_upload.hpp"
#include "garmin/outbox/outbox_schedule.hpp"
#include "garmin/outbox/scale_upload.hpp"
#include "store/measurement_store.hpp"

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
    explicit Outbox(OutboxSchedule schedule) : m_schedule(std::move(schedule)) {}

    // The next row to upload at `now`, or nullopt when every waiting row waits or is skipped.
    // Rows whose values can never be uploaded are parked and marked failed on the way.
    std::optional<OutboxJob> next_job(store::MeasurementStore& store, SystemTime now);

    // Applies `answer` for `job` at `now` to the store (in memory; flush it) and the schedule (saved).
    void finish(const OutboxJob& job, const UploadAnswer& answer, store::MeasurementStore& store,
                SystemTime now);

    // Why a waiting row is not uploaded at all (no user, no account, parked); empty when it is.
    std::optional<std::string> skip_reason(const store::PendingScale& pending) const;
    std::optional<std::string> skip_reason(const store::OmronRow& row) const;

    // When a waiting account may be tried again (after `now`); nullopt when none waits.
    std::optional<SystemTime> next_attempt(SystemTime now) const { return m_schedule.next_attempt(now); }
    OutboxSchedule& schedule() { return m_schedule; }

private:
    std::optional<OutboxJob> next_scale_job(store::MeasurementStore& store, SystemTime now,
                                            std::set<std::string>& waiting);
    std::optional<OutboxJob> next_blood_pressure_job(store::MeasurementStore& store, SystemTime now,
                                                     std::set<std::string>& waiting);
    // False when `email` waits (logged once per wait); `waiting` collects such accounts.
    bool account_may_go(const std::string& email, SystemTime now, std::set<std::string>& waiting);
    void skip_once(std::int64_t unix_time, const std::string& why);
    void park(store::MeasurementStore& store, store::BackupKind kind, std::int64_t row,
              const std::string& why);
    void save_schedule();

    OutboxSchedule m_schedule;
    std::set<std::int64_t> m_skipped;  // rows already logged as skipped
    std::set<std::string> m_waiting_logged;
};

}  // namespace ble2garmin::garmin
