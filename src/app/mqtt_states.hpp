#pragma once
// What the MQTT sink publishes for a measurement, from either of its two origins: a Measurement just
// recorded (everything known: device, source, full-precision composition), or a row of the store's
// backups published after an outage (the row's own fields; user and composition by the store's rules:
// the pending row's recorded user and composition, else the Email User / weight range and the same
// formulas, so the payload is the one the live path would have sent, less device and source).

#include <optional>
#include <string>

#include "ble2garmin/config.hpp"
#include "ble2garmin/measurement.hpp"

#include "mqtt/state_payload.hpp"
#include "store/measurement_store.hpp"

namespace ble2garmin::app {

struct ScaleStateFor {
    std::string user;
    mqtt::ScaleState state;
};

struct BloodPressureStateFor {
    std::string user;
    mqtt::BloodPressureState state;
};

// The state of a recorded scale measurement; nullopt when it has no user (nothing to publish).
std::optional<ScaleStateFor> scale_state(const Measurement& measurement);
// The state of a recorded blood-pressure measurement; nullopt without a user.
std::optional<BloodPressureStateFor> blood_pressure_state(const Measurement& measurement,
                                                          const std::string& category_standard);

// The state of a scale backup row; nullopt for a row with no (configured) user.
std::optional<ScaleStateFor> scale_state(const store::MiscaleRow& row, const Config& config,
                                         const store::MeasurementStore& store);
// The state of a blood-pressure backup row; nullopt when its Email User is no configured user's.
std::optional<BloodPressureStateFor> blood_pressure_state(const store::OmronRow& row, const Config& config);

}  // namespace ble2garmin::app
