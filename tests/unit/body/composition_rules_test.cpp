// Guards (§2), caps and clamps (§3), the water overflow branch, the visceral-fat branches the
// §8 vectors do not reach, and the weight-only path. Expected values are worked out by hand from
// the formulas of shared/spec/body-composition.md; the arithmetic is in the comments.

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "body/composition.hpp"

namespace ble2garmin::body {
namespace {

constexpr double k_tolerance = 1e-9;

// The vector-1 person, valid in every field; each guard test breaks one field.
Inputs valid_inputs()
{
    return {Sex::male, 172, 40, 55.2, 508};
}

void expect_rejected(const Inputs& inputs, const std::string& fragment)
{
    const auto result = compose(inputs);
    ASSERT_FALSE(result.ok()) << "expected a rejection mentioning '" << fragment << "'";
    EXPECT_NE(result.error().message.find(fragment), std::string::npos) << result.error().message;
}

TEST(BodyGuards, RejectsHeightOver220)
{
    Inputs inputs = valid_inputs();
    inputs.height_cm = 220.5;
    expect_rejected(inputs, "Height is too high (limit: >220cm) or scale is sleeping");
    inputs.height_cm = 220;
    EXPECT_TRUE(compose(inputs).ok());
}

TEST(BodyGuards, RejectsNonPositiveHeight)
{
    Inputs inputs = valid_inputs();
    inputs.height_cm = 0;
    expect_rejected(inputs, "Height must be a positive number");
    inputs.height_cm = -170;
    expect_rejected(inputs, "Height must be a positive number");
}

TEST(BodyGuards, RejectsWeightOutside10To200)
{
    Inputs inputs = valid_inputs();
    for (const double weight : {9.99, 200.01, 0.0, -55.0}) {
        inputs.weight_kg = weight;
        expect_rejected(inputs, "Weight is outside the limits (10 to 200 kg)");
    }
    for (const double weight : {10.0, 200.0}) {
        inputs.weight_kg = weight;
        EXPECT_TRUE(compose(inputs).ok()) << weight;
    }
}

TEST(BodyGuards, RejectsAgeOver99AndNegativeAge)
{
    Inputs inputs = valid_inputs();
    inputs.age_years = 100;
    expect_rejected(inputs, "Age is too high (limit: >99 years)");
    inputs.age_years = -1;
    expect_rejected(inputs, "Age must not be negative");
    for (const int age : {0, 99}) {
        inputs.age_years = age;
        EXPECT_TRUE(compose(inputs).ok()) << age;
    }
}

TEST(BodyGuards, RejectsImpedanceOver3000AndNonPositive)
{
    Inputs inputs = valid_inputs();
    inputs.impedance_ohm = 3001;
    expect_rejected(inputs, "Impedance is too high (limit: >3000");
    inputs.impedance_ohm = 0;
    expect_rejected(inputs, "Impedance must be positive");
    inputs.impedance_ohm = 3000;
    EXPECT_TRUE(compose(inputs).ok());
}

TEST(BodyGuards, ChecksInUpstreamOrder)
{
    // Every field is out of range: the height guard speaks first, then weight, then age.
    Inputs inputs{Sex::male, 230, 120, 300, 4000};
    expect_rejected(inputs, "Height");
    inputs.height_cm = 172;
    expect_rejected(inputs, "Weight");
    inputs.weight_kg = 55.2;
    expect_rejected(inputs, "Age");
    inputs.age_years = 40;
    expect_rejected(inputs, "Impedance");
}

TEST(BodyWater, OverflowBranchGives73Point5)
{
    // Male 200 cm, 20 y, 50 kg, 100 Ω:
    // LBM = 18.116·2 + 16 + 12.226 − 0.68 − 1.084 = 62.694
    // F = (1 − (62.694 − 0.8)·0.98 / 50)·100 = −21.3 → clamp 5
    // w = 95·0.7 = 66.5 > 50 → c = 0.98; 66.5·0.98 = 65.17 ≥ 65 → w = 75 → 75·0.98 = 73.5
    const auto c = compose({Sex::male, 200, 20, 50, 100});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_DOUBLE_EQ(c->body_fat.value(), 5);
    EXPECT_DOUBLE_EQ(c->water.value(), 73.5);
}

TEST(BodyCaps, MaleBasalMetabolismOver2322JumpsTo5000)
{
    // 877.8 + 14.916·150 − 0.726·180 − 8.976·20 = 877.8 + 2237.4 − 130.68 − 179.52 = 2805 > 2322
    const auto capped = compose({Sex::male, 180, 20, 150, std::nullopt});
    ASSERT_TRUE(capped.ok()) << capped.error().message;
    EXPECT_DOUBLE_EQ(capped->basal_metabolism, 5000);
    // 877.8 + 14.916·115 − 130.68 − 179.52 = 877.8 + 1715.34 − 310.2 = 2282.94 ≤ 2322: kept
    const auto kept = compose({Sex::male, 180, 20, 115, std::nullopt});
    ASSERT_TRUE(kept.ok()) << kept.error().message;
    EXPECT_NEAR(kept->basal_metabolism, 2282.94, k_tolerance);
}

TEST(BodyCaps, BasalMetabolismClampsAt500)
{
    // 877.8 + 149.16 − 159.72 − 888.624 = −21.384 → 500
    const auto c = compose({Sex::male, 220, 99, 10, std::nullopt});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_DOUBLE_EQ(c->basal_metabolism, 500);
}

TEST(BodyCaps, BodyFatOver63JumpsTo75)
{
    // Male 150 cm, 99 y, 200 kg, 3000 Ω:
    // LBM = 13.587·1.5 + 64 + 12.226 − 20.4 − 5.3658 = 70.8407
    // F = (1 − 70.0407 / 200)·100 = 64.97965 > 63 → 75
    // water: 25·0.7·1.02 = 17.85 → clamp 35
    // bone: 0.05158·70.8407 − 0.18016894 = 3.473794366 > 2.2 → 3.573794366
    // muscle: 200 − 150 − 3.573794366 = 46.426205634
    const auto c = compose({Sex::male, 150, 99, 200, 3000});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_NEAR(c->lean_body_mass.value(), 70.8407, k_tolerance);
    EXPECT_DOUBLE_EQ(c->body_fat.value(), 75);
    EXPECT_DOUBLE_EQ(c->water.value(), 35);
    EXPECT_NEAR(c->bone_mass.value(), 3.573794366, k_tolerance);
    EXPECT_NEAR(c->muscle_mass.value(), 46.426205634, k_tolerance);
}

TEST(BodyCaps, MaleBoneOver5Point2JumpsTo8)
{
    // Male 220 cm, 20 y, 200 kg, 100 Ω:
    // LBM = 19.9276·2.2 + 64 + 12.226 − 0.68 − 1.084 = 118.30272
    // B = 0.05158·118.30272 − 0.18016894 = 5.9218853576 > 2.2 → 6.0218853576 > 5.2 → 8
    const auto c = compose({Sex::male, 220, 20, 200, 100});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_NEAR(c->lean_body_mass.value(), 118.30272, k_tolerance);
    EXPECT_DOUBLE_EQ(c->bone_mass.value(), 8);
}

TEST(BodyCaps, FemaleBoneOver5Point1JumpsTo8)
{
    // Female 220 cm, 20 y, 200 kg, 100 Ω: same LBM 118.30272;
    // B = 0.05158·118.30272 − 0.245691014 = 5.8563632836 → 5.9563632836 > 5.1 → 8
    const auto c = compose({Sex::female, 220, 20, 200, 100});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_DOUBLE_EQ(c->bone_mass.value(), 8);
}

TEST(BodyCaps, MaleMuscleFrom93Point5JumpsTo120)
{
    // Male 200 cm, 20 y, 200 kg, 1350 Ω:
    // LBM = 36.232 + 64 + 12.226 − 9.18 − 1.084 = 102.194
    // F = (1 − 101.394 / 200)·100 = 49.303
    // B = 0.05158·102.194 − 0.18016894 = 5.09099758 → 5.19099758 (≤ 5.2, not capped)
    // M = 200 − 98.606 − 5.19099758 = 96.20300242 ≥ 93.5 → 120
    const auto c = compose({Sex::male, 200, 20, 200, 1350});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_NEAR(c->body_fat.value(), 49.303, k_tolerance);
    EXPECT_NEAR(c->bone_mass.value(), 5.19099758, k_tolerance);
    EXPECT_DOUBLE_EQ(c->muscle_mass.value(), 120);
}

TEST(BodyCaps, FemaleMuscleFrom84JumpsTo120)
{
    // Female 200 cm, 60 y, 200 kg, 1430 Ω:
    // LBM = 36.232 + 64 + 12.226 − 9.724 − 3.252 = 99.482
    // coef = 0.96·1.03 = 0.9888 (> 60 kg, > 160 cm); const = 7.25 (age > 49)
    // F = (1 − (99.482 − 7.25)·0.9888 / 200)·100 = 54.4004992
    // B = 0.05158·99.482 − 0.245691014 = 4.885590546 → 4.985590546 (≤ 5.1, not capped)
    // M = 200 − 108.8009984 − 4.985590546 = 86.21 ≥ 84 → 120
    const auto c = compose({Sex::female, 200, 60, 200, 1430});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_NEAR(c->body_fat.value(), 54.4004992, k_tolerance);
    EXPECT_NEAR(c->bone_mass.value(), 4.985590546, k_tolerance);
    EXPECT_DOUBLE_EQ(c->muscle_mass.value(), 120);
}

TEST(BodyVisceralFat, FemaleHeavyBranch)
{
    // 80 > 0.5·160 − 13 = 67: s = 1.45·160 + 0.1158·160² − 120 = 232 + 2964.48 − 120 = 3076.48
    // V = 80·500 / 3076.48 − 6 + 0.07·30 = 13.0018722696… − 3.9 = 9.1018722696…
    const auto c = compose({Sex::female, 160, 30, 80, std::nullopt});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_NEAR(c->visceral_fat, 40000 / 3076.48 - 3.9, k_tolerance);
}

TEST(BodyVisceralFat, MaleHeavyBranch)
{
    // 170 < 1.6·120 = 192: s = 0.0826·170² − 0.4·170 = 2387.14 − 68 = 2319.14
    // V = 120·305 / (2319.14 + 48) − 2.9 + 0.15·40 = 36600 / 2367.14 + 3.1
    const auto c = compose({Sex::male, 170, 40, 120, std::nullopt});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_NEAR(c->visceral_fat, 36600 / 2367.14 + 3.1, k_tolerance);
}

TEST(BodyWeightOnly, LeavesImpedanceBasedValuesEmpty)
{
    // Vector 1 without impedance: the weight-based values are those of §8 vector 1.
    const auto c = compose({Sex::male, 172, 40, 55.2, std::nullopt});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_DOUBLE_EQ(c->weight, 55.2);
    EXPECT_NEAR(c->bmi, 18.658734451054627, 1e-6);
    EXPECT_NEAR(c->basal_metabolism, 1217.2512, 1e-6);
    EXPECT_NEAR(c->visceral_fat, 4.390400000000007, 1e-6);
    EXPECT_NEAR(c->ideal_weight, 64.4, 1e-6);
    EXPECT_FALSE(c->body_fat);
    EXPECT_FALSE(c->muscle_mass);
    EXPECT_FALSE(c->bone_mass);
    EXPECT_FALSE(c->water);
    EXPECT_FALSE(c->lean_body_mass);
    EXPECT_FALSE(c->metabolic_age);
    EXPECT_FALSE(c->protein);
    EXPECT_FALSE(c->fat_mass_to_ideal);
    EXPECT_FALSE(c->physique_rating);
    EXPECT_FALSE(c->body_type);
    EXPECT_FALSE(c->impedance);
}

// Fat mass to ideal printed to one decimal as export2garmin prints it (Python's "%.1f" of
// W·(F/100) − W·(S₂/100)). Both cases sit on a tie of the tenth; the body fat is clamped to 5 %, so
// the arithmetic is by hand: female 39 y → S₂ = 35; male 43 y → S₂ = 23.
std::string printed_tenths(double kg)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", kg);
    return text;
}

TEST(BodyFatMassToIdeal, TiesOfTheTenthFallAsExport2garminPrintsThem)
{
    // 30.5 × 0.05 − 30.5 × 0.35 = −9.149999999999999 in doubles → "to_gain:9.1"
    const auto female = compose({Sex::female, 171, 39, 30.5, 404});
    ASSERT_TRUE(female.ok()) << female.error().message;
    ASSERT_DOUBLE_EQ(*female->body_fat, 5.0);
    EXPECT_EQ(printed_tenths(-*female->fat_mass_to_ideal), "9.1");
    // 32.5 × 0.05 − 32.5 × 0.23 = −5.8500000000000005 → "to_gain:5.9"
    const auto male = compose({Sex::male, 144, 43, 32.5, 598});
    ASSERT_TRUE(male.ok()) << male.error().message;
    ASSERT_DOUBLE_EQ(*male->body_fat, 5.0);
    EXPECT_EQ(printed_tenths(-*male->fat_mass_to_ideal), "5.9");
}

}  // namespace
}  // namespace ble2garmin::body
