#pragma once
// Text into HTML: every user-controlled string (user names, accounts) goes through html_escape.

#include <string>
#include <string_view>

namespace ble2garmin::report {

// `text` with & < > " ' as character references.
std::string html_escape(std::string_view text);

// `text` for a data: URI (RFC 2397): everything but unreserved characters percent-encoded.
std::string uri_escape(std::string_view text);

}  // namespace ble2garmin::report
