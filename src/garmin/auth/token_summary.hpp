#pragma once
// What `tokens status` and `status` say about each Garmin account's tokens: the kind and the
// expiries, never a token. Read-only: the token folders are only read.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ble2garmin/config.hpp"

namespace ble2garmin::garmin {

struct TokenSummary {
    enum class State {
        none,        // no tokens yet: `ble2garmin login` is needed
        di,          // DI OAuth2 (what login writes)
        legacy,      // garth OAuth1/OAuth2 (imported)
        unreadable,  // a file is unreadable or malformed, or the address cannot be a folder name
    };
    std::string email;
    State state = State::none;
    std::string client_id;                           // DI
    std::optional<std::int64_t> access_expires_at;   // Unix s
    std::optional<std::int64_t> refresh_expires_at;  // DI, when known
    std::optional<std::string> mfa_until;            // legacy: garth's MFA token expiry, as written
    std::string problem;                             // unreadable: why (names a file, never a value)
};

// The accounts of a configuration: every folder with an '@' under the token directory and every
// user's garmin_email, by address.
std::vector<std::string> token_accounts(const Config& config);

// The summary of `email`'s folder under `token_dir`.
TokenSummary summarize_tokens(const std::filesystem::path& token_dir, const std::string& email);

// "2026-12-03T07:00:00Z (in 5 h 3 min)" or "… (expired 2 days ago)" at `now` (Unix s).
std::string describe_expiry(std::int64_t at, std::int64_t now);

}  // namespace ble2garmin::garmin
