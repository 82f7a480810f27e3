#pragma once
// xsd:dateTime as TCX files carry it (shared/spec/rowing-tcx.md §4 "accept any xsd:dateTime"):
//
//   YYYY-MM-DDThh:mm:ss[.fraction][Z | +hh:mm | -hh:mm]
//
// Coxswain writes "2020-11-24T13:46:36.000Z"; other writers drop the fraction or give a numeric
// offset. A time without a zone is taken as UTC (the TCX schema's times are UTC in practice).

#include <cstdint>
#include <string_view>

#include "ble2garmin/result.hpp"

namespace ble2garmin::rowing {

// Unix milliseconds (fraction beyond milliseconds truncated); an Error naming what is wrong when
// `text` (surrounding XML whitespace allowed) is not such a time or lies outside years 1970..2200
// (later ones would overflow the nanosecond system clock once a session's duration is added).
Result<std::int64_t> parse_xsd_date_time_ms(std::string_view text);

}  // namespace ble2garmin::rowing
