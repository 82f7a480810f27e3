// The six vectors of shared/spec/body-composition.md §8: every field formatted as export2garmin's
// CSV formats it (§5), plus the unrounded values the spec gives for vector 1.

#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "body/composition.hpp"

namespace ble2garmin::body {
namespace {

struct Vector {
    const char* name;
    Inputs inputs;
    const char* expected;  // the spec's calculated string, fields in §5 order
};

void PrintTo(const Vector& vector, std::ostream* out)
{
    *out << vector.name;
}

// printf rounds the exact binary value half-to-even, as Python's format() does upstream.
std::string fixed(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::vector<std::string> split(const std::string& text)
{
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t end = text.find(';'); end != std::string::npos; end = text.find(';', start)) {
        fields.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    fields.push_back(text.substr(start));
    return fields;
}

// §5: W;BMI;Fat;Muscle;Bone;Water;Physique;Visceral;MetAge;BMR;LBM;Ideal;FatMassToIdeal;Protein;Z
std::vector<std::string> csv_fields(const Composition& c)
{
    const double to_ideal = c.fat_mass_to_ideal.value();
    return {fixed(c.weight, 1),
            fixed(c.bmi, 1),
            fixed(c.body_fat.value(), 1),
            fixed(c.muscle_mass.value(), 1),
            fixed(c.bone_mass.value(), 1),
            fixed(c.water.value(), 1),
            std::to_string(c.physique_rating.value()),
            fixed(c.visceral_fat, 0),
            fixed(c.metabolic_age.value(), 0),
            fixed(c.basal_metabolism, 0),
            fixed(c.lean_body_mass.value(), 1),
            fixed(c.ideal_weight, 1),
            to_ideal < 0 ? "to_gain:" + fixed(-to_ideal, 1) : "to_lose:" + fixed(to_ideal, 1),
            fixed(c.protein.value(), 1),
            std::to_string(c.impedance.value())};
}

const char* const k_field_names[] = {
    "W",      "BMI", "Fat", "Muscle", "Bone",           "Water",   "Physique", "Visceral",
    "MetAge", "BMR", "LBM", "Ideal",  "FatMassToIdeal", "Protein", "Z"};

class BodyCompositionVectors : public testing::TestWithParam<Vector> {};

TEST_P(BodyCompositionVectors, MatchesExport2garminCsvFields)
{
    const Vector& vector = GetParam();
    const auto composition = compose(vector.inputs);
    ASSERT_TRUE(composition.ok()) << composition.error().message;
    const auto actual = csv_fields(*composition);
    const auto expected = split(vector.expected);
    ASSERT_EQ(expected.size(), std::size(k_field_names));
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(actual[i], expected[i]) << "field " << k_field_names[i];
    }
}

INSTANTIATE_TEST_SUITE_P(
    Spec, BodyCompositionVectors,
    testing::Values(Vector{"male_172_40_55_2_manual_sample",
                           {Sex::male, 172, 40, 55.2, 508},
                           "55.2;18.7;10.8;46.7;2.6;61.2;7;4;19;1217;51.1;64.4;to_gain:6.8;23.4;508"},
                    Vector{"male_172_41_58_1",
                           {Sex::male, 172, 41, 58.1, 509},
                           "58.1;19.6;13.8;47.5;2.6;59.2;7;6;22;1252;51.9;64.4;to_gain:5.4;22.6;509"},
                    Vector{"male_180_35_85_15",
                           {Sex::male, 180, 35, 85.15, 428},
                           "85.2;26.3;25.8;60.0;3.2;50.9;3;17;35;1703;64.0;70.0;to_lose:3.2;19.5;428"},
                    Vector{"female_165_30_62_0",
                           {Sex::female, 165, 30, 62.0, 500},
                           "62.0;22.8;32.3;39.5;2.5;48.3;5;1;31;1246;51.7;57.0;to_gain:1.7;15.3;500"},
                    Vector{"female_158_55_48_0",
                           {Sex::female, 158, 55, 48.0, 600},
                           "48.0;19.2;23.7;34.7;1.9;52.3;8;1;33;951;43.1;52.8;to_gain:5.9;20.0;600"},
                    Vector{"male_175_50_95_0",
                           {Sex::male, 175, 50, 95.0, 450},
                           "95.0;31.0;32.8;60.5;3.3;47.9;3;25;55;1719;64.6;66.5;to_lose:9.4;15.8;450"}),
    [](const testing::TestParamInfo<Vector>& param_info) { return std::string(param_info.param.name); });

// §8 "Raw (unrounded) values for vector 1".
TEST(BodyCompositionVector1, RawValuesMatchSpec)
{
    const auto c = compose({Sex::male, 172, 40, 55.2, 508});
    ASSERT_TRUE(c.ok()) << c.error().message;
    constexpr double tolerance = 1e-6;
    EXPECT_NEAR(c->weight, 55.2, tolerance);
    EXPECT_NEAR(c->bmi, 18.658734451054627, tolerance);
    EXPECT_NEAR(c->body_fat.value(), 10.761790840579721, tolerance);
    EXPECT_NEAR(c->muscle_mass.value(), 46.705738672224, tolerance);
    EXPECT_NEAR(c->bone_mass.value(), 2.553752783776, tolerance);
    EXPECT_NEAR(c->water.value(), 61.21741148336231, tolerance);
    EXPECT_EQ(c->physique_rating.value(), 7);
    EXPECT_EQ(c->body_type.value(), "skinny");
    EXPECT_NEAR(c->visceral_fat, 4.390400000000007, tolerance);
    EXPECT_NEAR(c->metabolic_age.value(), 19.29382, tolerance);
    EXPECT_NEAR(c->basal_metabolism, 1217.2512, tolerance);
    EXPECT_NEAR(c->lean_body_mass.value(), 51.0647872, tolerance);
    EXPECT_NEAR(c->protein.value(), 23.394433937333346, tolerance);
    // Not listed raw in the spec; by hand: (172 − 80) · 0.7 and 55.2 · F / 100 − 55.2 · 23 / 100.
    EXPECT_NEAR(c->ideal_weight, 64.4, tolerance);
    EXPECT_NEAR(c->fat_mass_to_ideal.value(), 55.2 * 10.761790840579721 / 100 - 55.2 * 23 / 100.0, tolerance);
    EXPECT_EQ(c->impedance, 508);
}

}  // namespace
}  // namespace ble2garmin::body
