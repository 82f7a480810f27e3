#pragma once
// The weight-scale FIT file uploaded to Garmin Connect for a body-composition measurement
// (shared/spec/fit.md §4, body-composition.md §6). Message layout is python-garminconnect's, which
// Garmin Connect has ingested for years:
//
//   local 0 file_id      3 serial_number u32z, 4 time_created u32, 1 manufacturer u16, 2 product u16,
//                        5 number u16, 0 type enum = 9 (weight)
//   local 1 file_creator 0 software_version u16, 1 hardware_version u8            (both invalid)
//   local 2 device_info  253 timestamp u32, then 3, 7, 8, 2, 4, 5, 10, 0, 1, 6, 11 (all invalid)
//   local 3 weight_scale 253 timestamp u32; 0 weight ×100; 1 percent_fat ×100; 2 percent_hydration
//                        ×100; 3 visceral_fat_mass ×100 (invalid); 4 bone_mass ×100; 5 muscle_mass
//                        ×100; 7 basal_met ×4; 9 active_met ×4 (invalid) — all u16; 8 physique_rating
//                        u8; 10 metabolic_age u8; 11 visceral_fat_rating u8; 13 bmi u16 ×10
//
// Differences from upstream, all deliberate: values are rounded to nearest (upstream truncates, so
// 70.1 kg becomes 7010, not 7009; a stored value may differ by one unit); timestamps are true UTC
// (upstream runs mktime on a naive local time); by default a 14-byte header with header CRC, profile
// 21.217 and manufacturer "development" (upstream: 12-byte header, profile 1.08, manufacturer
// invalid) — see WeightScaleFileOptions to get upstream's header and file_id back.

#include <cstdint>
#include <optional>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

#include "body/composition.hpp"
#include "fit/encoder.hpp"
#include "fit/profile.hpp"

namespace ble2garmin::fit {

// One weigh-in in the units Garmin Connect shows, at full precision (rounded only when encoded).
// Absent values are written as invalid, i.e. "not measured".
struct WeightScaleEntry {
    SystemTime timestamp;  // when it was measured (an instant; written as UTC)
    double weight_kg = 0;
    std::optional<double> bmi;                // kg/m²
    std::optional<double> percent_fat;        // %
    std::optional<double> percent_hydration;  // %
    std::optional<double> bone_mass_kg;
    std::optional<double> muscle_mass_kg;       // skeletal muscle mass
    std::optional<double> basal_met_kcal;       // kcal/day
    std::optional<double> metabolic_age_years;  // rounded to whole years
    std::optional<double> visceral_fat_rating;  // rounded to a whole rating
    std::optional<int> physique_rating;         // 1–9
};

// What export2garmin uploads of `composition` (body-composition.md §6): weight, BMI, BMR and
// visceral rating always; fat, hydration, bone, muscle, metabolic age and physique only when the
// composition has them (not for a weight-only reading). Never fails.
WeightScaleEntry make_weight_scale_entry(const body::Composition& composition, SystemTime measured_at);

struct WeightScaleFileOptions {
    // file_id.time_created. Absent: the measurement time, so the same measurement always gives the
    // same bytes and a retried upload is answered 409 "Duplicate" instead of adding a second weigh-in.
    std::optional<SystemTime> time_created;
    std::optional<std::uint32_t> serial_number;  // file_id.serial_number (uint32z, not 0); absent: invalid
    std::optional<std::uint16_t> manufacturer = k_manufacturer_development;  // absent: invalid
    std::optional<std::uint16_t> product;                                    // absent: invalid
    // {HeaderSize::legacy, k_protocol_version_1_0, 108} is python-garminconnect's header.
    FileHeaderOptions header;
};

// The complete FIT file for one weigh-in. An Error when the weight is not in (0, 655.33] kg, a value
// does not fit its field (negative, or over 655.34 kg / % / 6553.4 BMI / 16383.5 kcal / 254 years or
// rating), or a time is outside FIT's date_time range (1998..2126).
Result<Bytes> encode_weight_scale_file(const WeightScaleEntry& entry,
                                       const WeightScaleFileOptions& options = {});

}  // namespace ble2garmin::fit
