#include "garmin/outbox/outbox_schedule.hpp"

#include <algorithm>
#include <random>

#include <nlohmann/json.hpp>

#include "log/logging.hpp"
#include "util/time.hpp"

namespace ble2garmin::garmin {
namespace {

using std::chrono::seconds;

constexpr seconds k_first_transient_wait{60};
constexpr seconds k_max_transient_wait{6 * 3600};
constexpr seconds k_min_rate_limit_wait{3600};
constexpr seconds k_max_rate_limit_wait{24 * 3600};
// Short: the first `ble2garmin login` after setting up should not wait long to take effect, and
// checking missing or refused tokens costs at most one refresh request.
constexpr seconds k_login_wait{300};

double random_jitter()
{
    static std::mt19937 generator{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.5, 1.0)(generator);
}

seconds doubled(seconds first, int times, seconds cap)
{
    seconds wait = first;
    for (int i = 1; i < times && wait < cap; ++i) {
        wait *= 2;
    }
    return std::min(wait, cap);
}

}  // namespace

OutboxSchedule::OutboxSchedule(std::filesystem::path path, Jitter jitter)
    : m_file(std::move(path)), m_jitter(jitter ? std::move(jitter) : Jitter(random_jitter))
{
}

OutboxSchedule OutboxSchedule::open(std::filesystem::path path, Jitter jitter)
{
    OutboxSchedule schedule(std::move(path), std::move(jitter));
    auto text = schedule.m_file.read();
    if (!text || !*text) {
        if (!text) {
            logging::get("garmin")->warn("upload schedule not read, starting afresh: {}",
                                         text.error().message);
        }
        return schedule;
    }
    try {
        const auto json = nlohmann::json::parse(**text);
        if (const auto accounts = json.find("accounts"); accounts != json.end() && accounts->is_object()) {
            for (auto entry = accounts->begin(); entry != accounts->end(); ++entry) {
                Account account;
                account.failures = entry->value("failures", 0);
                account.rate_limits = entry->value("rate_limits", 0);
                account.next_attempt = entry->value("next_attempt", std::int64_t{0});
                account.why = entry->value("why", std::string());
                schedule.m_accounts[entry.key()] = account;
            }
        }
        if (const auto parked = json.find("parked"); parked != json.end() && parked->is_object()) {
            for (auto entry = parked->begin(); entry != parked->end(); ++entry) {
                schedule.m_parked[std::stoll(entry.key())] = entry->get<std::string>();
            }
        }
    } catch (const std::exception& error) {
        logging::get("garmin")->warn("upload schedule unreadable, starting afresh path={} error={}",
                                     schedule.m_file.path().string(), error.what());
        schedule.m_accounts.clear();
        schedule.m_parked.clear();
    }
    return schedule;
}

std::optional<SystemTime> OutboxSchedule::waiting_until(const std::string& email, SystemTime now) const
{
    const auto found = m_accounts.find(email);
    if (found == m_accounts.end() || found->second.next_attempt <= to_unix_seconds(now)) {
        return std::nullopt;
    }
    return from_unix_seconds(found->second.next_attempt);
}

std::optional<SystemTime> OutboxSchedule::next_attempt(SystemTime now) const
{
    const std::int64_t after = to_unix_seconds(now);
    std::optional<std::int64_t> earliest;
    for (const auto& [email, account] : m_accounts) {
        if (account.next_attempt > after && (!earliest || account.next_attempt < *earliest)) {
            earliest = account.next_attempt;
        }
    }
    return earliest ? std::optional<SystemTime>(from_unix_seconds(*earliest)) : std::nullopt;
}

void OutboxSchedule::forget_waits_except_rate_limits()
{
    for (auto& [email, account] : m_accounts) {
        if (account.rate_limits == 0 && account.next_attempt != 0) {
            account.next_attempt = 0;
            m_dirty = true;
        }
    }
}

std::vector<OutboxSchedule::AccountWait> OutboxSchedule::waits(SystemTime now) const
{
    std::vector<AccountWait> waits;
    for (const auto& [email, account] : m_accounts) {
        if (account.next_attempt > to_unix_seconds(now)) {
            waits.push_back(
                {email, from_unix_seconds(account.next_attempt), account.why, account.rate_limits > 0});
        }
    }
    return waits;
}

std::vector<OutboxSchedule::AccountWait> OutboxSchedule::forget_all_waits(SystemTime now)
{
    std::vector<AccountWait> dropped;
    for (const auto& wait : waits(now)) {
        if (wait.rate_limited) {
            dropped.push_back(wait);
        }
    }
    for (auto& [email, account] : m_accounts) {
        if (account.next_attempt != 0) {
            account.next_attempt = 0;
            m_dirty = true;
        }
    }
    return dropped;
}

seconds OutboxSchedule::on_outcome(const std::string& email, ApiOutcome outcome, SystemTime now,
                                   std::optional<long> retry_after, const std::string& why)
{
    Account& account = m_accounts[email];
    seconds wait{0};
    switch (outcome) {
        case ApiOutcome::success:
        case ApiOutcome::duplicate:
        case ApiOutcome::rejected:  // the row is parked; the account is fine
            if (account.failures != 0 || account.rate_limits != 0 || account.next_attempt != 0) {
                m_dirty = true;
            }
            m_accounts.erase(email);
            return wait;
        case ApiOutcome::transient:
            ++account.failures;
            wait = std::chrono::duration_cast<seconds>(
                doubled(k_first_transient_wait, account.failures, k_max_transient_wait) *
                std::clamp(m_jitter(), 0.5, 1.0));
            break;
        case ApiOutcome::rate_limited:
            ++account.rate_limits;
            wait = std::max(seconds(retry_after.value_or(0)),
                            doubled(k_min_rate_limit_wait, account.rate_limits, k_max_rate_limit_wait));
            wait = std::min(wait, k_max_rate_limit_wait);
            break;
        case ApiOutcome::auth_failed:
            wait = k_login_wait;
            break;
    }
    account.next_attempt = to_unix_seconds(now) + wait.count();
    account.why = why;
    m_dirty = true;
    return wait;
}

void OutboxSchedule::park(std::int64_t unix_time, const std::string& why)
{
    m_parked[unix_time] = why;
    m_dirty = true;
}

void OutboxSchedule::unpark_all()
{
    if (!m_parked.empty()) {
        m_parked.clear();
        m_dirty = true;
    }
}

Result<void> OutboxSchedule::save()
{
    if (!m_dirty) {
        return {};
    }
    nlohmann::json json;
    json["accounts"] = nlohmann::json::object();
    for (const auto& [email, account] : m_accounts) {
        json["accounts"][email] = {{"failures", account.failures},
                                   {"rate_limits", account.rate_limits},
                                   {"next_attempt", account.next_attempt},
                                   {"why", account.why}};
    }
    json["parked"] = nlohmann::json::object();
    for (const auto& [time, why] : m_parked) {
        json["parked"][std::to_string(time)] = why;
    }
    auto written = m_file.replace(json.dump(2) + "\n");
    if (written) {
        m_dirty = false;
    }
    return written;
}

}  // namespace ble2garmin::garmin
