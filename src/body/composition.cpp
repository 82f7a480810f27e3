// The formulas of shared/spec/body-composition.md §2–§3, written in the spec's order of operations.
// Section numbers in the comments refer to that page; w, h, a, z are its W (kg), H (cm), A (years)
// and Z (Ω).
//
// export2garmin rounds every intermediate result once, as Python floats do. A fused multiply-add
// would change the last bit and could move a value across a rounding boundary of the CSV format, so
// this file is compiled with -ffp-contract=off (src/body/CMakeLists.txt): g++ contracts by default
// even in ISO C++ mode, which matters on the aarch64 Raspberry Pi where FMA is always available.

#include "body/composition.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "body/tables.hpp"

namespace ble2garmin::body {
namespace {

// §2 input limits (export2garmin's guards).
constexpr double k_max_height_cm = 220;
constexpr double k_min_weight_kg = 10;
constexpr double k_max_weight_kg = 200;
constexpr int k_max_age_years = 99;
constexpr int k_max_impedance_ohm = 3000;

// Caps (§3.2, §3.3, §3.5, §3.6): upstream jumps to a fixed value once a threshold is passed.
constexpr double k_capped_basal_metabolism = 5000;
constexpr double k_capped_body_fat = 75;
constexpr double k_capped_bone_mass = 8;
constexpr double k_capped_muscle_mass = 120;

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

// The first failing guard of §2, in upstream order, extended by the checks upstream lacks
// (non-positive or non-finite height/weight, negative age, non-positive impedance).
std::optional<Error> check(const Inputs& inputs)
{
    const double h = inputs.height_cm;
    if (!(h > 0) || !std::isfinite(h)) {
        return make_error("Height must be a positive number of cm, got " + number(h));
    }
    if (h > k_max_height_cm) {
        // export2garmin's wording, kept so that users of both recognise it.
        return make_error("Height is too high (limit: >220cm) or scale is sleeping: " + number(h) + " cm");
    }
    const double w = inputs.weight_kg;
    if (!(w >= k_min_weight_kg && w <= k_max_weight_kg)) {
        return make_error("Weight is outside the limits (10 to 200 kg) or scale is sleeping: " + number(w) +
                          " kg");
    }
    if (inputs.age_years < 0) {
        return make_error("Age must not be negative, got " + std::to_string(inputs.age_years));
    }
    if (inputs.age_years > k_max_age_years) {
        return make_error("Age is too high (limit: >99 years): " + std::to_string(inputs.age_years));
    }
    if (inputs.impedance_ohm) {
        const int z = *inputs.impedance_ohm;
        if (z <= 0) {
            return make_error("Impedance must be positive, got " + std::to_string(z) + " Ω");
        }
        if (z > k_max_impedance_ohm) {
            return make_error("Impedance is too high (limit: >3000 Ω): " + std::to_string(z) + " Ω");
        }
    }
    return std::nullopt;
}

// The inputs as the formulas use them.
struct Subject {
    bool female = false;
    double w = 0;  // weight, kg
    double h = 0;  // height, cm
    double a = 0;  // age, completed years
};

// §3.1, the "LBM coefficient" (export2garmin's CSV column "LBM [kg]").
double lean_body_mass(const Subject& s, double z)
{
    return (s.h * 9.058 / 100) * (s.h / 100) + 0.32 * s.w + 12.226 - 0.0068 * z - 0.0542 * s.a;
}

// §3.2, kcal/day.
double basal_metabolism(const Subject& s)
{
    double bmr = 0;
    if (s.female) {
        bmr = 864.6 + 10.2036 * s.w - 0.39336 * s.h - 6.204 * s.a;
        if (bmr > 2996) {
            bmr = k_capped_basal_metabolism;
        }
    } else {
        bmr = 877.8 + 14.916 * s.w - 0.726 * s.h - 8.976 * s.a;
        if (bmr > 2322) {
            bmr = k_capped_basal_metabolism;
        }
    }
    return std::clamp(bmr, 500.0, 10000.0);
}

// §3.3 coef, first matching row: men under 61 kg; women over 60 kg or under 50 kg, those two
// rows with a further factor 1.03 above 160 cm.
double body_fat_coefficient(const Subject& s)
{
    if (!s.female) {
        return s.w < 61 ? 0.98 : 1.0;
    }
    double coef = 1.0;
    if (s.w > 60) {
        coef = 0.96;
    } else if (s.w < 50) {
        coef = 1.02;
    } else {
        return coef;
    }
    if (s.h > 160) {
        coef *= 1.03;
    }
    return coef;
}

// §3.3, %.
double body_fat(const Subject& s, double lbm)
{
    double offset = 0.8;
    if (s.female) {
        offset = s.a <= 49 ? 9.25 : 7.25;
    }
    double fat = (1 - ((lbm - offset) * body_fat_coefficient(s)) / s.w) * 100;
    if (fat > 63) {
        fat = k_capped_body_fat;
    }
    return std::clamp(fat, 5.0, 75.0);
}

// §3.4, %. The overflow branch replaces w but still multiplies by c (0.98 there), hence 73.5.
double water(double fat)
{
    double w = (100 - fat) * 0.7;
    const double c = w <= 50 ? 1.02 : 0.98;
    if (w * c >= 65) {
        w = 75;
    }
    return std::clamp(w * c, 35.0, 75.0);
}

// §3.5, kg.
double bone_mass(const Subject& s, double lbm)
{
    const double base = s.female ? 0.245691014 : 0.18016894;
    double bone = 0.05158 * lbm - base;
    bone = bone > 2.2 ? bone + 0.1 : bone - 0.1;
    if ((s.female && bone > 5.1) || (!s.female && bone > 5.2)) {
        bone = k_capped_bone_mass;
    }
    return std::clamp(bone, 0.5, 8.0);
}

// §3.6, kg (uploaded as skeletal muscle mass).
double muscle_mass(const Subject& s, double fat, double bone)
{
    double muscle = s.w - (fat / 100) * s.w - bone;
    if ((s.female && muscle >= 84) || (!s.female && muscle >= 93.5)) {
        muscle = k_capped_muscle_mass;
    }
    return std::clamp(muscle, 10.0, 120.0);
}

// §3.7, rating. The female "else" branch adds 0.07·A and then subtracts A (upstream, kept).
double visceral_fat(const Subject& s)
{
    double v = 0;
    if (s.female) {
        if (s.w > 0.5 * s.h - 13) {
            const double k = 1.45 * s.h + 0.1158 * s.h * s.h - 120;
            v = (s.w * 500 / k - 6) + 0.07 * s.a;
        } else {
            const double k = 0.691 - 0.0024 * s.h - 0.0024 * s.h;
            v = -(0.027 * s.h - k * s.w) + 0.07 * s.a - s.a;
        }
    } else {
        if (s.h < 1.6 * s.w) {
            const double k = 0.0826 * s.h * s.h - 0.4 * s.h;
            v = s.w * 305 / (k + 48) - 2.9 + 0.15 * s.a;
        } else {
            const double k = 0.765 - 0.0015 * s.h;
            v = -(0.143 * s.h - s.w * k) + 0.15 * s.a - 5.0;
        }
    }
    return std::clamp(v, 1.0, 50.0);
}

// §3.8
double bmi(const Subject& s)
{
    return std::clamp(s.w / ((s.h / 100) * (s.h / 100)), 10.0, 90.0);
}

// §3.9, default variant, kg.
double ideal_weight(const Subject& s)
{
    return s.female ? (s.h - 70) * 0.6 : (s.h - 80) * 0.7;
}

// §3.10, kg: positive = to lose, negative = to gain. Each percentage is divided first, as
// export2garmin evaluates it: at a tie of the printed tenth (30.5 kg, 5 % fat, 35 % ideal: 9.15)
// the other order lands on the other side of .x5.
double fat_mass_to_ideal(const Subject& s, double fat, const FatPercentScale& scale)
{
    return s.w * (fat / 100) - s.w * (scale[2] / 100);
}

// §3.11, default variant, %.
double protein(const Subject& s, double muscle, double water_percent)
{
    return std::clamp((muscle / s.w) * 100 - water_percent, 5.0, 32.0);
}

// §3.12, years.
double metabolic_age(const Subject& s, double z)
{
    const double age = s.female ? -1.1165 * s.h + 1.5784 * s.w + 0.4615 * s.a + 0.0415 * z + 83.2548
                                : -0.7471 * s.h + 0.9161 * s.w + 0.4184 * s.a + 0.0517 * z + 54.2267;
    return std::clamp(age, 15.0, 80.0);
}

// §3.13: 1–9, fat band in steps of 3 (high fat first), muscle band within.
int physique_rating(double fat, double muscle, const FatPercentScale& scale, MuscleMassRange range)
{
    const int fat_factor = fat > scale[2] ? 0 : (fat < scale[1] ? 2 : 1);
    const int muscle_factor = muscle > range.high ? 3 : (muscle < range.low ? 1 : 2);
    return muscle_factor + 3 * fat_factor;
}

}  // namespace

Result<Composition> compose(const Inputs& inputs)
{
    if (auto error = check(inputs)) {
        return *error;
    }
    const Subject s{inputs.sex == Sex::female, inputs.weight_kg, inputs.height_cm,
                    static_cast<double>(inputs.age_years)};

    Composition out;
    out.weight = s.w;
    out.bmi = bmi(s);
    out.basal_metabolism = basal_metabolism(s);
    out.visceral_fat = visceral_fat(s);
    out.ideal_weight = ideal_weight(s);
    out.impedance = inputs.impedance_ohm;
    if (!inputs.impedance_ohm) {
        return out;
    }

    const auto scale = fat_percent_scale(inputs.sex, inputs.age_years);
    if (!scale) {
        // Unreachable after the age guard; kept so a table change cannot turn into a crash.
        return make_error("no body-fat scale for age " + std::to_string(inputs.age_years));
    }
    const double z = *inputs.impedance_ohm;
    const double lbm = lean_body_mass(s, z);
    const double fat = body_fat(s, lbm);
    const double water_percent = water(fat);
    const double bone = bone_mass(s, lbm);
    const double muscle = muscle_mass(s, fat, bone);
    const int rating = physique_rating(fat, muscle, *scale, muscle_mass_range(inputs.sex, s.h));

    out.lean_body_mass = lbm;
    out.body_fat = fat;
    out.water = water_percent;
    out.bone_mass = bone;
    out.muscle_mass = muscle;
    out.metabolic_age = metabolic_age(s, z);
    out.protein = protein(s, muscle, water_percent);
    out.fat_mass_to_ideal = fat_mass_to_ideal(s, fat, *scale);
    out.physique_rating = rating;
    out.body_type = body_type_label(rating);
    return out;
}

// Completed years: the year difference, minus one while the birthday of `on`'s year is still ahead.
// Comparing (month, day) pairs makes a 29 February birthday count on 1 March in non-leap years
// (28 February < 29 February). Negative when `on` precedes `birth`; compose() rejects that.
int age_on(std::chrono::year_month_day birth, std::chrono::year_month_day on)
{
    int years = static_cast<int>(on.year()) - static_cast<int>(birth.year());
    const unsigned on_month = static_cast<unsigned>(on.month());
    const unsigned birth_month = static_cast<unsigned>(birth.month());
    const unsigned on_day = static_cast<unsigned>(on.day());
    const unsigned birth_day = static_cast<unsigned>(birth.day());
    if (on_month < birth_month || (on_month == birth_month && on_day < birth_day)) {
        --years;
    }
    return years;
}

}  // namespace ble2garmin::body
