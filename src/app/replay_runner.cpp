#include "app/replay_runner.hpp"

#include "app/measurement_report.hpp"
#include "app/recorder.hpp"

namespace ble2garmin::app {

Result<ReplaySummary> run_replay(const Config& config, const replay::ReplayFile& session, std::ostream& out)
{
    const SystemTime start = session.advertisements.empty() ? std::chrono::system_clock::now()
                                                            : session.advertisements.front().received_at;
    auto recorder = Recorder::open(config, start);
    if (!recorder) {
        return recorder.error();
    }
    ReplaySummary summary;
    (*recorder)->add_observer([&](const Measurement& measurement) {
        out << describe_measurement(measurement);
        if (!measurement.user) {
            ++summary.unassigned;
        }
    });
    const auto count = [&](const pipeline::RecordResult& result) {
        switch (result.outcome) {
            case pipeline::Outcome::recorded:
                ++summary.recorded;
                break;
            case pipeline::Outcome::duplicate:
                ++summary.duplicates;
                break;
            case pipeline::Outcome::failed:
                ++summary.failed;
                break;
        }
    };
    const auto record_due = [&](SystemTime now, bool everything) {
        for (const auto& result : (*recorder)->record_due(now, everything)) {
            count(result);
        }
    };
    // Time in a replay is the recording's: a module deadline (an S400 weighing whose second packet
    // never came) falls due when the next advertisement is later than it, as it would have live.
    for (const auto& advertisement : session.advertisements) {
        ++summary.advertisements;
        // Every deadline the recording passed, in order (several devices may have one).
        for (auto due = (*recorder)->next_deadline(); due && *due <= advertisement.received_at;
             due = (*recorder)->next_deadline()) {
            record_due(*due, false);
        }
        if (auto result = (*recorder)->on_advertisement(advertisement)) {
            count(*result);
        }
    }
    // The end of the recording: whatever is still unfinished is recorded as it stands.
    record_due(session.advertisements.empty() ? start : session.advertisements.back().received_at, true);
    return summary;
}

}  // namespace ble2garmin::app
