#pragma once
// The body composition of a weighing: a core type, computed once when the measurement is recorded
// (src/body has the formulas) and read by every sink.

#include <optional>
#include <string_view>

namespace ble2garmin::body {

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

}  // namespace ble2garmin::body
