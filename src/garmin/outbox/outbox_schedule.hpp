#pragma once
// When each Garmin account may be tried again, and which rows are parked for good. Persisted in
// `garmin_outbox.json` in the state directory (rewritten atomically on every change), so a restart
// neither hammers Garmin after a 429 nor retries a row Garmin rejected:
//
//   {"accounts": {"<email>": {"failures": 3, "next_attempt": 1721080000, "why": "HTTP 503"}},
//    "parked":   {"1721076654": "HTTP 415: The file is of a type we do not support"}}
//
// Policy (docs/garmin.md "When an upload fails"):
//   transient (5xx, timeout, no network) → wait 60 s × 2^(failures−1), at most 6 h, times a random
//     factor in [0.5, 1] so that several gateways do not retry in step;
//   rate limited (429)                   → wait Retry-After, at least 1 h, doubling with every
//     further 429 up to 24 h — Garmin's limits last hours and retrying early extends them;
//   login needed (401/403 after refresh, or no tokens yet) → wait 5 min (the user runs
//     `ble2garmin login` meanwhile);
//   success / duplicate                  → the account's failures are forgotten.
// A parked row (Garmin said 4xx, or the values can never make a valid file) is skipped with one
// log line; removing its entry from the file (or the file) makes it eligible again.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

#include "fs/csv_file.hpp"
#include "garmin/http/api_outcome.hpp"

namespace ble2garmin::garmin {

inline constexpr const char* k_outbox_state_file = "garmin_outbox.json";

class OutboxSchedule {
public:
    // A random factor in [0.5, 1]; injectable for tests.
    using Jitter = std::function<double()>;

    // Reads `path` when it exists. An unreadable file is logged and treated as empty: the worst
    // case is one early retry, never a lost row.
    static OutboxSchedule open(std::filesystem::path path, Jitter jitter = {});

    // When `email` may be tried again; nullopt when it may be tried now.
    std::optional<SystemTime> waiting_until(const std::string& email, SystemTime now) const;
    // The earliest time after `now` some waiting account may be tried again; nullopt when none waits.
    std::optional<SystemTime> next_attempt(SystemTime now) const;
    // Forgets every wait but a 429 cool-down (`ble2garmin upload` run by hand, e.g. right after
    // `ble2garmin login`): retrying early against a rate limit would only extend it.
    void forget_waits_except_rate_limits();

    // An account's wait as `upload --list` shows it.
    struct AccountWait {
        std::string email;
        SystemTime until;
        std::string why;
        bool rate_limited = false;  // a 429 cool-down
    };
    // The accounts that wait at `now`, by address.
    std::vector<AccountWait> waits(SystemTime now) const;
    // Forgets every wait, 429 cool-downs included (`upload --now`); returns the cool-downs it dropped
    // so that the caller can warn about each.
    std::vector<AccountWait> forget_all_waits(SystemTime now);

    // Records the outcome of one upload attempt for `email` at `now`; returns the wait it caused
    // (zero for success and duplicate). `retry_after` in seconds when Garmin said.
    std::chrono::seconds on_outcome(const std::string& email, ApiOutcome outcome, SystemTime now,
                                    std::optional<long> retry_after, const std::string& why);

    bool is_parked(std::int64_t unix_time) const { return m_parked.contains(unix_time); }
    void park(std::int64_t unix_time, const std::string& why);
    // Row time → why Garmin (or the check before sending) refused it.
    const std::map<std::int64_t, std::string>& parked() const { return m_parked; }
    // Makes every parked row eligible again (`upload --retry-parked`).
    void unpark_all();

    // Writes the file if anything changed since the last save; an Error when it cannot be written.
    Result<void> save();

private:
    struct Account {
        int failures = 0;
        int rate_limits = 0;
        std::int64_t next_attempt = 0;  // Unix seconds
        std::string why;
    };

    OutboxSchedule(std::filesystem::path path, Jitter jitter);

    fs::CsvFile m_file;
    Jitter m_jitter;
    std::map<std::string, Account> m_accounts;
    std::map<std::int64_t, std::string> m_parked;
    bool m_dirty = false;
};

}  // namespace ble2garmin::garmin
