#include "app/measurement_report.hpp"

#include <fmt/format.h>

#include "util/time.hpp"

namespace ble2garmin::app {

std::string describe_measurement(const Measurement& measurement)
{
    const auto* scale = std::get_if<ScaleReading>(&measurement.reading.value);
    if (scale == nullptr) {
        return "blood-pressure reading\n";
    }
    const LocalDateTime local = to_local(measurement.measured_at);
    std::string out = fmt::format("{} {}  {:<8} {:6.2f} kg", local.date, local.time,
                                  measurement.user ? measurement.user->name : "(nobody)", scale->weight_kg);
    out += scale->impedance_ohm ? fmt::format("  impedance {} Ω", *scale->impedance_ohm) : "  no impedance";
    if (!measurement.device_clock_used) {
        out += measurement.reading.device_time ? "  (receive time: scale clock off)" : "  (receive time)";
    }
    out += "\n";
    if (!measurement.user) {
        out += "    no user's weight range matches: kept in the backup as 'unassigned'\n";
        return out;
    }
    if (!measurement.composition) {
        out += "    body composition not computed: " + measurement.composition_error + "\n";
        return out;
    }
    const auto& c = *measurement.composition;
    out += fmt::format("    BMI {:.1f} · BMR {:.0f} kcal · visceral fat {:.0f} · ideal weight {:.1f} kg\n",
                       c.bmi, c.basal_metabolism, c.visceral_fat, c.ideal_weight);
    if (c.body_fat) {
        out += fmt::format(
            "    body fat {:.1f} % · muscle {:.1f} kg · water {:.1f} % · bone {:.1f} kg · protein {:.1f} % · "
            "metabolic age {:.0f} · {}\n",
            *c.body_fat, c.muscle_mass.value_or(0), c.water.value_or(0), c.bone_mass.value_or(0),
            c.protein.value_or(0), c.metabolic_age.value_or(0), c.body_type.value_or(""));
    }
    return out;
}

}  // namespace ble2garmin::app
