#include "app/replay_runner.hpp"

#include "ble2garmin/device_module.hpp"

#include "app/measurement_report.hpp"
#include "pipeline/dispatcher.hpp"
#include "pipeline/pipeline.hpp"

namespace ble2garmin::app {

Result<ReplaySummary> run_replay(const Config& config, const replay::ReplayFile& session, std::ostream& out)
{
    auto dispatcher = pipeline::Dispatcher::create(config.devices, device_modules());
    if (!dispatcher) {
        return dispatcher.error();
    }
    const SystemTime start = session.advertisements.empty() ? std::chrono::system_clock::now()
                                                            : session.advertisements.front().received_at;
    auto pipeline = pipeline::Pipeline::open(config, start);
    if (!pipeline) {
        return pipeline.error();
    }
    ReplaySummary summary;
    (*pipeline)->add_observer([&](const Measurement& measurement) {
        out << describe_measurement(measurement);
        if (!measurement.user) {
            ++summary.unassigned;
        }
    });
    const auto record = [&](const Reading& reading) {
        switch ((*pipeline)->on_reading(reading).outcome) {
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
    // Time in a replay is the recording's: a module deadline (an S400 weighing whose second packet
    // never came) falls due when the next advertisement is later than it, as it would have live.
    const auto record_due = [&](SystemTime now, bool everything) {
        for (const Reading& reading : dispatcher->collect(now, everything)) {
            record(reading);
        }
    };
    for (const auto& advertisement : session.advertisements) {
        ++summary.advertisements;
        // Every deadline the recording passed, in order (several devices may have one).
        for (auto due = dispatcher->next_deadline(); due && *due <= advertisement.received_at;
             due = dispatcher->next_deadline()) {
            record_due(*due, false);
        }
        if (auto reading = dispatcher->on_advertisement(advertisement)) {
            record(*reading);
        }
    }
    // The end of the recording: whatever is still unfinished is recorded as it stands.
    record_due(session.advertisements.empty() ? start : session.advertisements.back().received_at, true);
    return summary;
}

}  // namespace ble2garmin::app
