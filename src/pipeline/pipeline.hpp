#pragma once
// Reading → Measurement → stored. The order is the promise of the product: a measurement is
// written (and fsync'ed) to its CSV backup before any sink sees it, and it counts as recorded only
// once its row is there (store/measurement_journal.hpp), so a crash or a full disk loses nothing and
// records nothing twice — the next re-advertisement of the same weighing is simply recorded then.
//
//   duplicate check ─► measurement time ─► user ─► body composition ─► store ─► observers (sinks)

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ble2garmin/config.hpp"
#include "ble2garmin/measurement.hpp"
#include "ble2garmin/result.hpp"

#include "store/measurement_store.hpp"

namespace ble2garmin::pipeline {

// What happened to one reading.
enum class Outcome {
    recorded,   // new measurement, CSV row written
    duplicate,  // the same weighing was recorded before (within the window)
    failed,     // could not be written; the caller keeps the reading and tries again
};

struct RecordResult {
    Outcome outcome = Outcome::failed;
    std::optional<Measurement> measurement;  // set when recorded
    std::string error;                       // set when failed
    std::optional<Reading> unwritten;        // set when failed: the reading to try again
};

class Pipeline {
public:
    using Observer = std::function<void(const Measurement&)>;

    // Records into `store`, which must outlive the pipeline.
    Pipeline(Config config, store::MeasurementStore& store) : m_config(std::move(config)), m_store(&store) {}

    // Runs one decoded reading through the pipeline.
    RecordResult on_reading(const Reading& reading);

    // Called with every recorded measurement, after its CSV row is durable (sinks, console, …).
    void add_observer(Observer observer) { m_observers.push_back(std::move(observer)); }

    const Config& config() const { return m_config; }

private:
    Measurement complete(const Reading& reading) const;
    // True when the measurement's row waits for Garmin (uploads on and the user has an account).
    bool for_garmin(const Measurement& measurement) const;
    void log_recorded(const Measurement& measurement) const;

    Config m_config;
    store::MeasurementStore* m_store;
    // Devices whose clock was found off and said so (once per device and run: a scale whose clock
    // was never set is off on every weighing).
    mutable std::set<std::string> m_clock_reported;
    std::vector<Observer> m_observers;
};

// The body-composition inputs for a scale reading of `user`, with the age at the measurement's
// local date.
body::Inputs composition_inputs(const User& user, const ScaleReading& scale, SystemTime measured_at);

}  // namespace ble2garmin::pipeline
