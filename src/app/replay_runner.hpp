#pragma once
// Feeds recorded advertisements through the same dispatcher and pipeline the daemon uses.

#include <ostream>

#include "ble2garmin/config.hpp"
#include "ble2garmin/result.hpp"

#include "replay/replay_file.hpp"

namespace ble2garmin::app {

struct ReplaySummary {
    std::size_t advertisements = 0;
    std::size_t recorded = 0;
    std::size_t unassigned = 0;
    std::size_t duplicates = 0;
    std::size_t failed = 0;
};

// Runs every advertisement of `session` through the pipeline configured by `config`, printing
// each recorded measurement to `out`. An Error when the pipeline cannot start (state directory,
// CSV or device table problems).
Result<ReplaySummary> run_replay(const Config& config, const replay::ReplayFile& session, std::ostream& out);

}  // namespace ble2garmin::app
