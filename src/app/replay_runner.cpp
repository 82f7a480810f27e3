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
    for (const auto& advertisement : session.advertisements) {
        ++summary.advertisements;
        auto reading = dispatcher->on_advertisement(advertisement);
        if (!reading) {
            continue;
        }
        switch ((*pipeline)->on_reading(*reading).outcome) {
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
    }
    return summary;
}

}  // namespace ble2garmin::app
