#include "fit/weight_scale_file.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "fit/date_time.hpp"

namespace ble2garmin::fit {

namespace {

// Local message numbers, as python-garminconnect assigns them.
constexpr std::uint8_t k_local_file_id = 0;
constexpr std::uint8_t k_local_file_creator = 1;
constexpr std::uint8_t k_local_device_info = 2;
constexpr std::uint8_t k_local_weight_scale = 3;

// file_id fields.
constexpr std::uint8_t k_file_id_type = 0;
constexpr std::uint8_t k_file_id_manufacturer = 1;
constexpr std::uint8_t k_file_id_product = 2;
constexpr std::uint8_t k_file_id_serial_number = 3;
constexpr std::uint8_t k_file_id_time_created = 4;
constexpr std::uint8_t k_file_id_number = 5;

// weight_scale fields and their scales (fit.md §2).
constexpr std::uint8_t k_weight = 0;
constexpr std::uint8_t k_percent_fat = 1;
constexpr std::uint8_t k_percent_hydration = 2;
constexpr std::uint8_t k_visceral_fat_mass = 3;
constexpr std::uint8_t k_bone_mass = 4;
constexpr std::uint8_t k_muscle_mass = 5;
constexpr std::uint8_t k_basal_met = 7;
constexpr std::uint8_t k_physique_rating = 8;
constexpr std::uint8_t k_active_met = 9;
constexpr std::uint8_t k_metabolic_age = 10;
constexpr std::uint8_t k_visceral_fat_rating = 11;
constexpr std::uint8_t k_bmi = 13;
constexpr double k_scale_hundredths = 100;  // weight, percentages and masses: 0.01 per unit
constexpr double k_scale_met = 4;           // basal_met, active_met: 0.25 kcal/day per unit
constexpr double k_scale_bmi = 10;          // 0.1 kg/m² per unit

// 0xFFFE in `weight` means "calculating" and 0xFFFF invalid, so 655.33 kg is the largest weight.
constexpr double k_weight_limit_kg = 655.335;

MessageDefinition file_id_definition()
{
    return {k_mesg_file_id,
            {{k_file_id_serial_number, BaseType::uint32z},
             {k_file_id_time_created, BaseType::uint32},
             {k_file_id_manufacturer, BaseType::uint16},
             {k_file_id_product, BaseType::uint16},
             {k_file_id_number, BaseType::uint16},
             {k_file_id_type, BaseType::enumeration}}};
}

MessageDefinition file_creator_definition()
{
    return {k_mesg_file_creator, {{0, BaseType::uint16} /* software_version */, {1, BaseType::uint8}}};
}

// python-garminconnect's device_info, kept field for field (field 8 is not in the profile; it is
// always invalid) so the file equals the layout Garmin Connect is known to ingest.
MessageDefinition device_info_definition()
{
    return {k_mesg_device_info,
            {{k_field_timestamp, BaseType::uint32},
             {3, BaseType::uint32z},   // serial_number
             {7, BaseType::uint32},    // cum_operating_time
             {8, BaseType::uint32},    // undocumented
             {2, BaseType::uint16},    // manufacturer
             {4, BaseType::uint16},    // product
             {5, BaseType::uint16},    // software_version
             {10, BaseType::uint16},   // battery_voltage
             {0, BaseType::uint8},     // device_index
             {1, BaseType::uint8},     // device_type
             {6, BaseType::uint8},     // hardware_version
             {11, BaseType::uint8}}};  // battery_status
}

MessageDefinition weight_scale_definition()
{
    return {k_mesg_weight_scale,
            {{k_field_timestamp, BaseType::uint32},
             {k_weight, BaseType::uint16},
             {k_percent_fat, BaseType::uint16},
             {k_percent_hydration, BaseType::uint16},
             {k_visceral_fat_mass, BaseType::uint16},
             {k_bone_mass, BaseType::uint16},
             {k_muscle_mass, BaseType::uint16},
             {k_basal_met, BaseType::uint16},
             {k_active_met, BaseType::uint16},
             {k_physique_rating, BaseType::uint8},
             {k_metabolic_age, BaseType::uint8},
             {k_visceral_fat_rating, BaseType::uint8},
             {k_bmi, BaseType::uint16}}};
}

Message weight_scale_values(const WeightScaleEntry& entry, std::uint32_t timestamp)
{
    // Whole-number fields are rounded like the scaled ones (scale 1).
    Message message;
    message.set(k_field_timestamp, timestamp)
        .set_scaled(k_weight, entry.weight_kg, k_scale_hundredths)
        .set_scaled(k_percent_fat, entry.percent_fat, k_scale_hundredths)
        .set_scaled(k_percent_hydration, entry.percent_hydration, k_scale_hundredths)
        .set_scaled(k_bone_mass, entry.bone_mass_kg, k_scale_hundredths)
        .set_scaled(k_muscle_mass, entry.muscle_mass_kg, k_scale_hundredths)
        .set_scaled(k_basal_met, entry.basal_met_kcal, k_scale_met)
        .set(k_physique_rating, entry.physique_rating)
        .set_scaled(k_metabolic_age, entry.metabolic_age_years, 1)
        .set_scaled(k_visceral_fat_rating, entry.visceral_fat_rating, 1)
        .set_scaled(k_bmi, entry.bmi, k_scale_bmi);
    return message;  // visceral_fat_mass and active_met stay invalid: export2garmin never sends them
}

}  // namespace

WeightScaleEntry make_weight_scale_entry(const body::Composition& composition, SystemTime measured_at)
{
    WeightScaleEntry entry;
    entry.timestamp = measured_at;
    entry.weight_kg = composition.weight;
    entry.bmi = composition.bmi;
    entry.basal_met_kcal = composition.basal_metabolism;
    entry.visceral_fat_rating = composition.visceral_fat;
    entry.percent_fat = composition.body_fat;
    entry.percent_hydration = composition.water;
    entry.bone_mass_kg = composition.bone_mass;
    entry.muscle_mass_kg = composition.muscle_mass;
    entry.metabolic_age_years = composition.metabolic_age;
    entry.physique_rating = composition.physique_rating;
    return entry;
}

Result<Bytes> encode_weight_scale_file(const WeightScaleEntry& entry, const WeightScaleFileOptions& options)
{
    if (!std::isfinite(entry.weight_kg) || entry.weight_kg <= 0 || entry.weight_kg >= k_weight_limit_kg) {
        return make_error("weight " + std::to_string(entry.weight_kg) + " kg is not in (0, 655.33]");
    }
    const auto timestamp = to_date_time(entry.timestamp);
    if (!timestamp) {
        return make_error("measurement " + timestamp.error().message);
    }
    const auto time_created = options.time_created ? to_date_time(*options.time_created) : timestamp;
    if (!time_created) {
        return make_error("time_created " + time_created.error().message);
    }

    Encoder encoder(options.header);
    Message file_id;
    file_id.set(k_file_id_serial_number, options.serial_number)
        .set(k_file_id_time_created, *time_created)
        .set(k_file_id_manufacturer, options.manufacturer)
        .set(k_file_id_product, options.product)
        .set(k_file_id_type, k_file_weight);
    const Message file_creator;  // both fields invalid, as upstream writes them
    const Message device_info = Message{}.set(k_field_timestamp, *timestamp);
    const Message weight_scale = weight_scale_values(entry, *timestamp);
    const struct {
        std::uint8_t local;
        MessageDefinition definition;
        const Message& values;
    } messages[] = {
        {k_local_file_id, file_id_definition(), file_id},
        {k_local_file_creator, file_creator_definition(), file_creator},
        {k_local_device_info, device_info_definition(), device_info},
        {k_local_weight_scale, weight_scale_definition(), weight_scale},
    };
    for (const auto& message : messages) {
        if (auto defined = encoder.define(message.local, message.definition); !defined) {
            return defined.error();
        }
        if (auto written = encoder.write(message.local, message.values); !written) {
            return written.error();
        }
    }
    return std::move(encoder).finish();
}

}  // namespace ble2garmin::fit
