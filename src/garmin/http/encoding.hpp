#pragma once
// Text encodings of the Garmin wire formats: RFC 3986 percent-encoding, form bodies
// (application/x-www-form-urlencoded), query strings and base64 (standard and URL-safe).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ble2garmin::garmin {

using Parameters = std::vector<std::pair<std::string, std::string>>;

// Every byte but the RFC 3986 unreserved set (A-Z a-z 0-9 - . _ ~) as %XX (upper-case hex).
std::string percent_encode(std::string_view text);
// %XX decoded, and '+' as a space when `plus_is_space` (form bodies); malformed escapes kept as is.
std::string percent_decode(std::string_view text, bool plus_is_space = true);

// "k=v&k2=v2" with percent_encode() on each key and value.
std::string form_encode(const Parameters& parameters);
// The pairs of a form body or query string, decoded, in order (a key without '=' has an empty value).
Parameters parse_form(std::string_view text);
// The first value of `key`, nullopt when absent.
std::optional<std::string> find_parameter(const Parameters& parameters, std::string_view key);

std::string base64_encode(std::string_view bytes);
// Standard or URL-safe base64, with or without padding; nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace ble2garmin::garmin
