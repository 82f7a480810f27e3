#include "body/tables.hpp"

#include <cstddef>

namespace ble2garmin::body {
namespace {

struct AgeRow {
    int min_age;  // inclusive
    int max_age;  // exclusive
    FatPercentScale female;
    FatPercentScale male;
};

// §4.1. Boys share one row up to 18; the scale ends at 100 (the age guard stops at 99).
constexpr std::array<AgeRow, 7> k_fat_percent_rows{{
    {0, 12, {12, 21, 30, 34}, {7, 16, 25, 30}},
    {12, 14, {15, 24, 33, 37}, {7, 16, 25, 30}},
    {14, 16, {18, 27, 36, 40}, {7, 16, 25, 30}},
    {16, 18, {20, 28, 37, 41}, {7, 16, 25, 30}},
    {18, 40, {21, 28, 35, 40}, {11, 17, 22, 27}},
    {40, 60, {22, 29, 36, 41}, {12, 18, 23, 28}},
    {60, 100, {23, 30, 37, 42}, {14, 20, 25, 30}},
}};

struct HeightRow {
    double min_height_cm;  // inclusive
    MuscleMassRange range;
};

// §4.2, tallest row first; the last row has no lower bound.
constexpr std::array<HeightRow, 3> k_male_muscle_rows{{
    {170, {49.4, 59.5}},
    {160, {44.0, 52.5}},
    {0, {38.5, 46.6}},
}};
constexpr std::array<HeightRow, 3> k_female_muscle_rows{{
    {160, {36.5, 42.6}},
    {150, {32.9, 37.6}},
    {0, {29.1, 34.8}},
}};

// §3.13, index = rating − 1. "lack-exerscise" is export2garmin's spelling, kept so labels match its output.
constexpr std::array<std::string_view, 9> k_body_types{
    "obese",  "overweight",      "thick-set",       "lack-exerscise", "balanced", "balanced-muscular",
    "skinny", "balanced-skinny", "skinny-muscular",
};

}  // namespace

std::optional<FatPercentScale> fat_percent_scale(Sex sex, int age_years)
{
    for (const auto& row : k_fat_percent_rows) {
        if (row.min_age <= age_years && age_years < row.max_age) {
            return sex == Sex::female ? row.female : row.male;
        }
    }
    return std::nullopt;
}

MuscleMassRange muscle_mass_range(Sex sex, double height_cm)
{
    const auto& rows = sex == Sex::female ? k_female_muscle_rows : k_male_muscle_rows;
    for (const auto& row : rows) {
        if (height_cm >= row.min_height_cm) {
            return row.range;
        }
    }
    return rows.back().range;
}

std::string_view body_type_label(int physique_rating)
{
    if (physique_rating < 1 || physique_rating > static_cast<int>(k_body_types.size())) {
        return {};
    }
    return k_body_types[static_cast<std::size_t>(physique_rating - 1)];
}

}  // namespace ble2garmin::body
