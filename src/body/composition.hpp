#pragma once
// Body-composition formulas of the Xiaomi Mi Scale family, numerically identical to export2garmin
// (shared/spec/body-composition.md). Pure functions: no I/O, no clock.

#include <chrono>
#include <optional>
#include <string_view>

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

// Full-precision (unrounded) results. Weight-based values are always present; the
// impedance-based ones only when an impedance was given.
struct Composition {
    double weight = 0;  // kg
    double bmi = 0;
    double basal_metabolism = 0;                // kcal/day
    double visceral_fat = 0;                    // rating 1–50
    double ideal_weight = 0;                    // kg
    std::optional<double> body_fat;             // %
    std::optional<double> muscle_mass;          // kg (uploaded as skeletal muscle mass)
    std::optional<double> bone_mass;            // kg
    std::optional<double> water;                // %
    std::optional<double> lean_body_mass;       // kg (the "LBM coefficient")
    std::optional<double> metabolic_age;        // years
    std::optional<double> protein;              // %
    std::optional<double> fat_mass_to_ideal;    // kg, signed: negative = to gain
    std::optional<int> physique_rating;         // 1–9
    std::optional<std::string_view> body_type;  // upstream label for physique_rating, e.g. "balanced"
    std::optional<int> impedance;               // Ω, copied from the inputs
};

// The composition for the inputs, or an Error naming the guard that rejected them
// (height > 220 cm, weight outside 10–200 kg, age > 99, impedance > 3000 Ω, non-positive values).
Result<Composition> compose(const Inputs& inputs);

// Completed years between birth and `on` (birthday counted on the day itself).
int age_on(std::chrono::year_month_day birth, std::chrono::year_month_day on);

}  // namespace ble2garmin::body
