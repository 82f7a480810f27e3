#include "app/recorder.hpp"

#include "ble2garmin/device_module.hpp"

#include "pipeline/store_setup.hpp"

namespace ble2garmin::app {

Result<std::unique_ptr<Recorder>> Recorder::open(const Config& config, SystemTime now)
{
    auto dispatcher = pipeline::Dispatcher::create(config.devices, device_modules());
    if (!dispatcher) {
        return dispatcher.error();
    }
    auto store = pipeline::open_store(config, device_modules(), now);
    if (!store) {
        return store.error();
    }
    return std::unique_ptr<Recorder>(new Recorder(std::move(*dispatcher), std::move(*store), config));
}

Recorder::Recorder(pipeline::Dispatcher dispatcher, std::unique_ptr<store::MeasurementStore> store,
                   const Config& config)
    : m_dispatcher(std::move(dispatcher)),
      m_store(std::move(store)),
      m_pipeline(std::make_unique<pipeline::Pipeline>(config, *m_store))
{
}

std::optional<pipeline::RecordResult> Recorder::on_advertisement(const Advertisement& advertisement)
{
    if (auto reading = m_dispatcher.on_advertisement(advertisement)) {
        return m_pipeline->on_reading(*reading);
    }
    return std::nullopt;
}

std::vector<pipeline::RecordResult> Recorder::record_due(SystemTime now, bool everything)
{
    std::vector<pipeline::RecordResult> results;
    for (const Reading& reading : m_dispatcher.collect(now, everything)) {
        results.push_back(m_pipeline->on_reading(reading));
    }
    return results;
}

}  // namespace ble2garmin::app
