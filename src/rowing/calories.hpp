#pragma once
// Energy of a rowing session when the TCX has no Calories of its own (docs/rowing.md "Calories").
// Concept2's published ergometer relations, which need no person data (age, weight) and so cannot
// be fed wrong constants:
//
//   kcal per hour = 4 × 0.8604 × watts + 300     (0.8604 kcal/h per W; ~25 % efficiency → × 4;
//                                                  300 kcal/h for the body at rest while rowing)
//   watts         = 2.80 × speed³                 (speed in m/s; Concept2's pace ↔ watts relation)
//
// Both are non-negative for every input, so the result never goes negative (Coxswain2Fit's
// heart-rate regression gives negative kcal below ~60 bpm, rowing-tcx.md §3.7).

namespace ble2garmin::rowing {

inline constexpr double k_kcal_per_hour_per_watt = 4 * 0.8604;
inline constexpr double k_kcal_per_hour_base = 300;
inline constexpr double k_watts_per_speed_cubed = 2.80;

// Power estimated from speed (m/s); 0 for a negative or non-finite speed.
double power_from_speed_w(double speed_mps);

// kcal spent rowing `seconds` at `power_w` (negative or non-finite inputs count as 0).
double rowing_kcal(double power_w, double seconds);

}  // namespace ble2garmin::rowing
