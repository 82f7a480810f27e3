#pragma once
// Lookup tables of export2garmin's `xiaomi` scale type (shared/spec/body-composition.md §4).
// The `holtek` tables exist upstream but no upload uses them, so they are not here.

#include <array>
#include <optional>
#include <string_view>

#include "ble2garmin/user.hpp"

namespace ble2garmin::body {

// Body-fat % thresholds S₀…S₃ of §4.1. S₁ is the lower and S₂ the upper limit of the normal band
// (physique rating), S₂ is also the target of "fat mass to ideal".
using FatPercentScale = std::array<double, 4>;

// The fat-% scale of the first row with min ≤ age < max; nullopt for ages outside 0–99 (no row).
std::optional<FatPercentScale> fat_percent_scale(Sex sex, int age_years);

// Normal band of muscle mass in kg (§4.2).
struct MuscleMassRange {
    double low = 0;
    double high = 0;
};

// The muscle-mass band of the first row with height ≥ min; the last row catches every other height.
MuscleMassRange muscle_mass_range(Sex sex, double height_cm);

// The upstream label of a physique rating ("obese" … "skinny-muscular", with export2garmin's
// spelling "lack-exerscise" for 4); empty for ratings outside 1–9.
std::string_view body_type_label(int physique_rating);

}  // namespace ble2garmin::body
