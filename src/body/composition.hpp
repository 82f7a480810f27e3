#pragma once
// Body-composition formulas of the Xiaomi Mi Scale family, numerically identical to export2garmin
// (shared/spec/body-composition.md). Pure functions: no I/O, no clock.

#include <chrono>
#include <optional>
#include <string_view>

#include "ble2garmin/body_composition.hpp"
#include "ble2garmin/result.hpp"
#include "ble2garmin/user.hpp"

namespace ble2garmin::body {

struct Inputs {
    Sex sex = Sex::male;
    double height_cm = 0;
    int age_years = 0;
    double weight_kg = 0;
    std::optional<int> impedance_ohm;  // absent: only the weight-based values are computed
};

// The composition for the inputs, or an Error naming the guard that rejected them
// (height > 220 cm, weight outside 10–200 kg, age > 99, impedance > 3000 Ω, non-positive values).
Result<Composition> compose(const Inputs& inputs);

// Completed years between birth and `on` (birthday counted on the day itself).
int age_on(std::chrono::year_month_day birth, std::chrono::year_month_day on);

}  // namespace ble2garmin::body
