#include "app/sinks.hpp"

#include "app/garmin_sink.hpp"
#include "app/mqtt_sink.hpp"
#include "app/rowing_watch_sink.hpp"

namespace ble2garmin::app {

Sinks make_sinks(const Config& config, store::MeasurementStore& store)
{
    Sinks sinks;
    sinks.push_back(std::make_unique<GarminSink>(config, store));
    sinks.push_back(std::make_unique<RowingWatchSink>(config));
    sinks.push_back(std::make_unique<MqttSink>(config, store));
    return sinks;
}

}  // namespace ble2garmin::app
