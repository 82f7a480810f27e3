#include "garmin/auth/token_summary.hpp"

#include <set>

#include "garmin/auth/token_store.hpp"
#include "util/time.hpp"

namespace ble2garmin::garmin {

std::vector<std::string> token_accounts(const Config& config)
{
    std::set<std::string> accounts;
    std::error_code error;
    for (std::filesystem::directory_iterator entry(config.garmin_token_dir(), error), end;
         !error && entry != end; entry.increment(error)) {
        if (entry->is_directory() && entry->path().filename().string().find('@') != std::string::npos) {
            accounts.insert(entry->path().filename().string());
        }
    }
    for (const auto& user : config.users) {
        if (!is_no_account(user.garmin_email)) {
            accounts.insert(user.garmin_email);
        }
    }
    return {accounts.begin(), accounts.end()};
}

TokenSummary summarize_tokens(const std::filesystem::path& token_dir, const std::string& email)
{
    TokenSummary summary;
    summary.email = email;
    auto directory = TokenStore::account_directory(token_dir, email);
    if (!directory) {
        summary.state = TokenSummary::State::unreadable;
        summary.problem = directory.error().message;
        return summary;
    }
    auto stored = TokenStore(*directory).load();
    if (!stored) {
        summary.state = TokenSummary::State::unreadable;
        summary.problem = stored.error().message;
    } else if (stored->di) {
        summary.state = TokenSummary::State::di;
        summary.client_id = stored->di->client_id;
        summary.access_expires_at = stored->di->expires_at;
        summary.refresh_expires_at = stored->di->refresh_expires_at;
    } else if (stored->legacy) {
        summary.state = TokenSummary::State::legacy;
        if (stored->legacy->oauth2) {
            summary.access_expires_at = stored->legacy->oauth2->expires_at;
        }
        summary.mfa_until = stored->legacy->oauth1.mfa_expiration_timestamp;
    }
    return summary;
}

std::string describe_expiry(std::int64_t at, std::int64_t now)
{
    std::string text = format_iso_utc(from_unix_seconds(at));
    const std::int64_t delta = at - now;
    const std::int64_t magnitude = delta < 0 ? -delta : delta;
    std::string span;
    if (magnitude >= 2 * 86400) {
        span = std::to_string(magnitude / 86400) + " days";
    } else if (magnitude >= 3600) {
        span = std::to_string(magnitude / 3600) + " h " + std::to_string(magnitude % 3600 / 60) + " min";
    } else {
        span = std::to_string(magnitude / 60) + " min";
    }
    return text + (delta < 0 ? " (expired " + span + " ago)" : " (in " + span + ")");
}

}  // namespace ble2garmin::garmin
