#include "app/upload_list.hpp"

#include <fmt/format.h>

#include "garmin/outbox/outbox.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

std::string local_stamp(std::int64_t unix_time)
{
    const auto local = to_local(from_unix_seconds(unix_time));
    return local.date + " " + local.time;
}

// What holds a row of `email` that is not skipped: its account's wait, or nothing (next in line).
std::string account_state(const garmin::OutboxSchedule& schedule, const std::string& email, SystemTime now)
{
    const auto until = schedule.waiting_until(email, now);
    return until ? "the account waits until " + format_iso_naive_local(*until) : "next in line";
}

std::string parked_or(const garmin::OutboxSchedule& schedule, std::int64_t unix_time, std::string otherwise)
{
    const auto parked = schedule.parked().find(unix_time);
    return parked != schedule.parked().end() ? "parked: " + parked->second : otherwise;
}

void write_rows(const garmin::OutboxSchedule& schedule, const garmin::Outbox& outbox,
                const store::MeasurementStore& store, SystemTime now, std::ostream& out)
{
    std::size_t rows = 0;
    for (const auto& pending : store.pending_scale()) {
        const auto time = pending.row.unix_time();
        const std::string who = pending.user ? pending.user->name : "-";
        const std::string email = pending.user ? pending.user->garmin_email : "";
        std::string state = parked_or(schedule, time, "");
        if (state.empty()) {
            const auto skip = outbox.skip_reason(pending);
            state = skip ? "not sent: " + *skip : account_state(schedule, email, now);
        }
        out << fmt::format("  {}  {}  {:<8} {:>6} kg  → {:<20}  {}\n", local_stamp(time), time, who,
                           pending.row.weight_text(), email.empty() ? "-" : email, state);
        ++rows;
    }
    for (const auto& row : store.pending_blood_pressure()) {
        std::string state = parked_or(schedule, row.unix_time, "");
        if (state.empty()) {
            const auto skip = outbox.skip_reason(row);
            state = skip ? "not sent: " + *skip : account_state(schedule, row.email, now);
        }
        out << fmt::format("  {}  {}  {}/{} mmHg, pulse {}  → {:<20}  {}\n", local_stamp(row.unix_time),
                           row.unix_time, row.systolic, row.diastolic, row.pulse, row.email, state);
        ++rows;
    }
    if (rows == 0) {
        out << "  none: every row is uploaded\n";
    }
}

}  // namespace

void write_upload_list(const garmin::OutboxSchedule& schedule, const store::MeasurementStore* store,
                       SystemTime now, std::ostream& out)
{
    out << "Garmin accounts\n";
    const auto waits = schedule.waits(now);
    if (waits.empty()) {
        out << "  none waits\n";
    }
    for (const auto& wait : waits) {
        out << fmt::format("  {:<20}  waits until {}{}: {}\n", wait.email, format_iso_naive_local(wait.until),
                           wait.rate_limited ? " (rate limited, `upload --now` ignores it)" : "", wait.why);
    }
    if (store != nullptr) {
        out << "Rows waiting for Garmin, oldest first\n";
        // A copy: skip_reason() only reads, and the list must not change the saved schedule.
        const garmin::Outbox outbox(schedule);
        write_rows(schedule, outbox, *store, now, out);
        return;
    }
    out << "Parked rows (the daemon holds the backups; stop it to see every waiting row)\n";
    if (schedule.parked().empty()) {
        out << "  none\n";
    }
    for (const auto& [time, why] : schedule.parked()) {
        out << fmt::format("  {}  {}  parked: {}\n", local_stamp(time), time, why);
    }
}

}  // namespace ble2garmin::app
