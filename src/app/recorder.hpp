#pragma once
// What `run` and `replay` share: advertisements in, stored measurements out. Owns the dispatcher
// (device modules), the measurement store and the pipeline between them; the caller adds observers
// (the daemon's sinks, replay's report) and decides what time it is (the wall clock, or the
// recording's).

#include <memory>
#include <optional>
#include <vector>

#include "ble2garmin/config.hpp"

#include "pipeline/dispatcher.hpp"
#include "pipeline/pipeline.hpp"
#include "store/measurement_store.hpp"

namespace ble2garmin::app {

class Recorder {
public:
    // The modules, the store and the pipeline for `config`; `now` ends the duplicate window. An Error
    // when a device table is invalid or the store cannot be opened.
    static Result<std::unique_ptr<Recorder>> open(const Config& config, SystemTime now);

    // The reading this advertisement completes, through the pipeline; nullopt when none.
    std::optional<pipeline::RecordResult> on_advertisement(const Advertisement& advertisement);
    // The readings the modules completed by time alone at `now` (with `everything`, every
    // unfinished weighing as it stands), each through the pipeline.
    std::vector<pipeline::RecordResult> record_due(SystemTime now, bool everything);
    // One reading through the pipeline (a retry after a failed write).
    pipeline::RecordResult record(const Reading& reading) { return m_pipeline->on_reading(reading); }
    // When record_due() will have something; nullopt while no module waits.
    std::optional<SystemTime> next_deadline() const { return m_dispatcher.next_deadline(); }

    void add_observer(pipeline::Pipeline::Observer observer)
    {
        m_pipeline->add_observer(std::move(observer));
    }
    store::MeasurementStore& store() { return *m_store; }
    const pipeline::Dispatcher& dispatcher() const { return m_dispatcher; }
    pipeline::Dispatcher& dispatcher() { return m_dispatcher; }
    const Config& config() const { return m_pipeline->config(); }

private:
    Recorder(pipeline::Dispatcher dispatcher, std::unique_ptr<store::MeasurementStore> store,
             const Config& config);

    pipeline::Dispatcher m_dispatcher;
    std::unique_ptr<store::MeasurementStore> m_store;
    std::unique_ptr<pipeline::Pipeline> m_pipeline;
};

}  // namespace ble2garmin::app
