#pragma once
// Recorded advertisements, one per line, for `ble2garmin replay`, the demo and tests:
//
//   # comment                            (blank lines and text after '#' are ignored)
//   TIME                  ADDRESS            KIND   HEX                         [RSSI]
//   2026-11-21T07:12:01Z  C8:47:8C:11:22:33  181b   0226ea070b15070c01f4017030  -62
//
// TIME   ISO 8601 with 'Z' or an offset (+01:00); the advertisement's receive time.
// KIND   a service-data UUID (16-bit "181b" or 128-bit), or "mfr:XXXX" for manufacturer data of
//        company id XXXX (hex).
// HEX    the service/manufacturer data without the UUID or company id bytes, as BlueZ gives it.
// RSSI   optional, dBm.

#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

namespace ble2garmin::replay {

struct ReplayProblem {
    std::size_t line = 0;
    std::string reason;
};

struct ReplayFile {
    std::vector<Advertisement> advertisements;  // in file order
    std::vector<ReplayProblem> problems;        // lines that were skipped, with why
};

// Parses replay text; bad lines are skipped and reported, never fatal.
ReplayFile parse_replay(std::string_view text, std::string_view source_name = "replay");

// Reads and parses a replay file; an Error when it cannot be read.
Result<ReplayFile> read_replay_file(const std::string& path);

}  // namespace ble2garmin::replay
