#include "garmin/http/api_outcome.hpp"

namespace ble2garmin::garmin {

ApiOutcome classify_status(long status)
{
    if (status >= 200 && status < 300) {
        return ApiOutcome::success;
    }
    if (status == 409) {
        return ApiOutcome::duplicate;
    }
    if (status == 429) {
        return ApiOutcome::rate_limited;
    }
    if (status == 401 || status == 403) {
        return ApiOutcome::auth_failed;
    }
    if (status == 408 || status == 425) {
        return ApiOutcome::transient;  // Request Timeout, Too Early: the same request may succeed later
    }
    if (status >= 400 && status < 500) {
        return ApiOutcome::rejected;
    }
    return ApiOutcome::transient;
}

std::string_view api_outcome_name(ApiOutcome outcome)
{
    switch (outcome) {
        case ApiOutcome::success:
            return "success";
        case ApiOutcome::duplicate:
            return "duplicate";
        case ApiOutcome::rate_limited:
            return "rate-limited";
        case ApiOutcome::auth_failed:
            return "auth-failed";
        case ApiOutcome::rejected:
            return "rejected";
        case ApiOutcome::transient:
            return "transient";
    }
    return "transient";
}

}  // namespace ble2garmin::garmin
