#pragma once
// Reading → Measurement → backed up. The order is the promise of the product: a measurement is
// written (and fsync'ed) to the CSV backup before any network sink sees it, and it is remembered
// as "seen" only after that write succeeded, so a crash or a full disk loses nothing — the next
// re-advertisement of the same weighing is simply recorded then.
//
//   duplicate check ─► measurement time ─► user ─► body composition ─► CSV row ─► observers

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ble2garmin/config.hpp"
#include "ble2garmin/measurement.hpp"
#include "ble2garmin/result.hpp"

#include "pipeline/duplicate_memory.hpp"
#include "store/miscale_backup.hpp"
#include "store/row_owners.hpp"

namespace ble2garmin::pipeline {

// What happened to one reading.
enum class Outcome {
    recorded,   // new measurement, CSV row written
    duplicate,  // the same weighing was recorded before (within the window)
    failed,     // could not be written; the daemon keeps the reading and tries again
};

struct RecordResult {
    Outcome outcome = Outcome::failed;
    std::optional<Measurement> measurement;  // set when recorded
    std::string error;                       // set when failed
};

class Pipeline {
public:
    using Observer = std::function<void(const Measurement&)>;

    // Opens the CSV backup and the duplicate memory under the config's state directory (created
    // when missing); an Error when either cannot be opened.
    static Result<std::unique_ptr<Pipeline>> open(const Config& config, SystemTime now);

    // Runs one decoded reading through the pipeline.
    RecordResult on_reading(const Reading& reading);

    // Called with every recorded measurement, after its CSV row is durable (MQTT, console, …).
    void add_observer(Observer observer) { m_observers.push_back(std::move(observer)); }

    const store::MiscaleBackup& miscale_backup() const { return *m_miscale; }
    // The backup and its owners file for the Garmin outbox, which turns rows into uploaded rows.
    // The pipeline and the outbox run on the same thread; the backup has one owner object.
    store::MiscaleBackup& miscale_backup_for_update() { return *m_miscale; }
    const store::RowOwners& row_owners() const { return m_owners; }

private:
    Pipeline(const Config& config, std::unique_ptr<store::MiscaleBackup> miscale, DuplicateMemory memory,
             store::RowOwners owners);

    Measurement complete(const Reading& reading) const;

    Config m_config;
    std::unique_ptr<store::MiscaleBackup> m_miscale;
    DuplicateMemory m_seen;
    store::RowOwners m_owners;
    std::vector<Observer> m_observers;
};

// The body-composition inputs for a scale reading of `user`, with the age at the measurement's
// local date.
body::Inputs composition_inputs(const User& user, const ScaleReading& scale, SystemTime measured_at);

}  // namespace ble2garmin::pipeline
