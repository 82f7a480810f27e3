#pragma once
// The list of sinks for a configuration: the one place a new sink is added.

#include <memory>
#include <vector>

#include "app/sink.hpp"

namespace ble2garmin::app {

using Sinks = std::vector<std::unique_ptr<Sink>>;

// Every sink, configured for `config` and reading from `store` (which must outlive them).
Sinks make_sinks(const Config& config, store::MeasurementStore& store);

}  // namespace ble2garmin::app
