#pragma once
// Reads a Training Center XML (TCX) file into a Workout, streaming: the document is fed to XmlReader
// (xml_reader.hpp) in 64 KiB pieces and only the values a Workout keeps are stored, so memory grows with the
// number of trackpoints (~60 bytes each; a 2-hour session at 1 Hz is ~7,200), never with the file's size.
//
// Elements are recognised by namespace URI and local name (shared/spec/rowing-tcx.md §1), never by
// prefix or position, and in any order:
//   TrainingCenterDatabase/v2  TrainingCenterDatabase › Activities › Activity@Sport › Id, Lap@StartTime
//                              (TotalTimeSeconds, DistanceMeters, Calories, Track › Trackpoint
//                              (Time, DistanceMeters, HeartRateBpm › Value, Cadence, Extensions)),
//                              Training › Plan › Name
//   ActivityExtension/v2       Lap Extensions › LX › Steps; Trackpoint Extensions › TPX › Speed, Watts
// Everything else (Position, Creator, Notes, other extensions, other namespaces) is skipped.

#include <filesystem>
#include <istream>
#include <string_view>

#include "ble2garmin/result.hpp"

#include "rowing/workout.hpp"

namespace ble2garmin::rowing {

inline constexpr std::string_view k_tcx_namespace =
    "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2";
inline constexpr std::string_view k_activity_extension_namespace =
    "http://www.garmin.com/xmlschemas/ActivityExtension/v2";

// At most this many trackpoints per file (about 11 days at one per second): a bound on memory.
inline constexpr std::size_t k_max_trackpoints = 1'000'000;

// The workout of the TCX document read from `input`. An Error "line N: …" when the XML is not
// well-formed, has a DOCTYPE, is not a TCX document, has no or more than one Activity, a Lap
// without StartTime or a Trackpoint without Time, or a value that is not a number / time in range.
Result<Workout> read_tcx(std::istream& input);
Result<Workout> read_tcx_text(std::string_view text);
// The same for a file; an Error also when it cannot be opened or read.
Result<Workout> read_tcx_file(const std::filesystem::path& path);

}  // namespace ble2garmin::rowing
