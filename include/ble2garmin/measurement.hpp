#pragma once
// A Reading resolved to a user and completed with body composition: what every sink consumes.

#include <optional>
#include <string>

#include "ble2garmin/body_composition.hpp"
#include "ble2garmin/reading.hpp"
#include "ble2garmin/user.hpp"

namespace ble2garmin {

struct Measurement {
    Reading reading;
    // When the measurement was taken: the device clock when it is plausible, else the receive time.
    SystemTime measured_at;
    bool device_clock_used = false;
    // Empty when no user's weight range matched: the measurement is still backed up (status
    // "unassigned") and never uploaded.
    std::optional<User> user;
    // Present for scale readings of a known user whose inputs pass the formula guards.
    std::optional<body::Composition> composition;
    // Why composition is missing although a user matched (formula guard), for the log.
    std::string composition_error;
};

}  // namespace ble2garmin
