#pragma once
// A sink takes stored measurements somewhere else: Garmin Connect today, MQTT next. The daemon holds
// its sinks in a list (app/sinks.cpp makes it) and treats them all alike, so adding a sink never
// edits the loop:
//
//   on_recorded()    a measurement's row is durable in the store: react now (upload, publish)
//   fds(), pump()    descriptors the loop polls for the sink and the work of one loop turn
//   next_deadline()  when pump() must run even if nothing else happens (a retry, a back-off)
//   reload()         new configuration and store (SIGHUP)
//   drain()          stopping: finish or abandon work in flight within a second or two, write
//                    what must be written
//
// A sink may also be a source (MQTT: export2garmin's ESP32 feed, the gateways of a hub): the daemon
// hands it SinkInputs to feed advertisements and readings in as if heard locally, and shows it every
// local advertisement (on_advertisement), which a gateway takes over instead of recording it.
//
// Sinks read what waits for them from the store (pending rows) — never from the CSV files — and
// everything runs on the loop's thread; a sink that needs a thread (the Garmin upload) keeps it
// behind these calls.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ble2garmin/config.hpp"
#include "ble2garmin/measurement.hpp"

#include "store/measurement_store.hpp"

namespace ble2garmin::app {

// Where a sink that is also a source puts what it receives: into the daemon's dispatcher (an
// advertisement, exactly like a local one) or straight into the pipeline (a reading already decoded).
struct SinkInputs {
    std::function<void(const Advertisement&)> advertisement;
    std::function<void(const Reading&)> reading;
};

class Sink {
public:
    virtual ~Sink() = default;

    virtual void on_recorded(const Measurement& measurement) = 0;
    virtual void reload(const Config& config, store::MeasurementStore& store) = 0;
    // Descriptors to poll for POLLIN.
    virtual std::vector<int> fds() const { return {}; }
    virtual void pump(SystemTime now) = 0;
    virtual std::optional<SystemTime> next_deadline() const { return std::nullopt; }
    virtual void drain() = 0;
    // The daemon's inputs, once, before the loop runs.
    virtual void connect_inputs(const SinkInputs& /*inputs*/) {}
    // An advertisement heard locally; true when the sink took it over and it must not be recorded
    // here (a gateway relays it to its hub).
    virtual bool on_advertisement(const Advertisement& /*advertisement*/) { return false; }
    // A few words for systemd's STATUS line ("2 uploads pending"); empty when there is nothing to say.
    virtual std::string status() const { return {}; }
};

}  // namespace ble2garmin::app
