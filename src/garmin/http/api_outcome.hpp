#pragma once
// What an authorized Garmin Connect API call came to, for the callers (uploads, profile reads):
// the status classes of shared/spec/garmin-connect.md §6.1 and §7 that need different handling.

#include <string_view>

namespace ble2garmin::garmin {

enum class ApiOutcome {
    success,       // any 2xx; the body is available
    duplicate,     // 409: the same content was uploaded before ("Duplicate Activity.") — treat as done
    rate_limited,  // 429: try later, after Retry-After when given
    auth_failed,   // 401/403 even after a token refresh, or the refresh was refused: the user must log in
                   // again
    rejected,      // any other 4xx: permanent for this request (bad FIT, bad JSON, not found)
    transient,     // 5xx, no answer (network, TLS, timeout) or a refresh that could not complete: retry later
};

// The class of an HTTP status as received (before any refresh): 2xx success, 409 duplicate,
// 429 rate_limited, 401/403 auth_failed, 408/425 and 5xx transient, other 4xx rejected, everything
// else transient.
ApiOutcome classify_status(long status);

// "success", "duplicate", "rate-limited", "auth-failed", "rejected", "transient".
std::string_view api_outcome_name(ApiOutcome outcome);

}  // namespace ble2garmin::garmin
