#pragma once
// The fixed parts of the report page: the head with its style sheet and the end.

#include <string>
#include <string_view>

namespace ble2garmin::report {

// From <!doctype html> to the page's header, with the generation time ("2026-12-03 07:12").
std::string report_page_head(std::string_view generated_at);
std::string report_page_tail();

}  // namespace ble2garmin::report
