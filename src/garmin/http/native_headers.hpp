#pragma once
// The Garmin Connect Android app's request headers, sent on DI token and API calls
// (shared/spec/garmin-connect.md §2 "Native" headers, §6.1).

#include <string>
#include <string_view>

#include "garmin/http/http_client.hpp"

namespace ble2garmin::garmin {

Headers native_headers();

// "Basic base64(<client_id>:)", the DI token endpoint's client authentication (empty password).
std::string basic_client_authorization(std::string_view client_id);

// Seconds from a Retry-After header value (delta-seconds only); nullopt for a date or garbage.
std::optional<long> parse_retry_after(std::string_view value);
// The Retry-After of `response` in seconds, when it has a usable one (429 answers of every endpoint).
std::optional<long> retry_after_of(const HttpResponse& response);

}  // namespace ble2garmin::garmin
