// Runs the real `ble2garmin compose` and checks its output against shared/spec/body-composition.md §8.

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace ble2garmin::cli {
namespace {

struct ProcessResult {
    int exit_code = -1;
    std::string output;
};

// Runs the binary with `arguments` through the shell; `redirect` chooses what lands in output.
ProcessResult run(const std::string& arguments, const char* redirect = "2>/dev/null")
{
    const std::string command = std::string(BLE2GARMIN_BINARY) + " " + arguments + " " + redirect;
    ProcessResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return result;
    }
    char buffer[4096];
    std::size_t count = 0;
    while ((count = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        result.output.append(buffer, count);
    }
    const int status = pclose(pipe);
    if (status != -1 && WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    }
    return result;
}

std::string fixed(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

nlohmann::ordered_json run_json(const std::string& arguments)
{
    const ProcessResult result = run(arguments);
    EXPECT_EQ(result.exit_code, 0) << arguments;
    return nlohmann::ordered_json::parse(result.output, nullptr, false);
}

// §8 vector 1 (male, 172 cm, 40 y, 55.2 kg, 508 Ω), raw values within 1e-6.
void expect_vector1(const nlohmann::ordered_json& j)
{
    ASSERT_TRUE(j.is_object()) << j.dump();
    constexpr double tolerance = 1e-6;
    EXPECT_NEAR(j.at("weight").get<double>(), 55.2, tolerance);
    EXPECT_NEAR(j.at("bmi").get<double>(), 18.658734451054627, tolerance);
    EXPECT_NEAR(j.at("body_fat").get<double>(), 10.761790840579721, tolerance);
    EXPECT_NEAR(j.at("muscle_mass").get<double>(), 46.705738672224, tolerance);
    EXPECT_NEAR(j.at("bone_mass").get<double>(), 2.553752783776, tolerance);
    EXPECT_NEAR(j.at("water").get<double>(), 61.21741148336231, tolerance);
    EXPECT_EQ(j.at("physique_rating").get<int>(), 7);
    EXPECT_EQ(j.at("body_type").get<std::string>(), "skinny");
    EXPECT_NEAR(j.at("visceral_fat").get<double>(), 4.390400000000007, tolerance);
    EXPECT_NEAR(j.at("metabolic_age").get<double>(), 19.29382, tolerance);
    EXPECT_NEAR(j.at("basal_metabolism").get<double>(), 1217.2512, tolerance);
    EXPECT_NEAR(j.at("lean_body_mass").get<double>(), 51.0647872, tolerance);
    EXPECT_NEAR(j.at("ideal_weight").get<double>(), 64.4, tolerance);
    // By hand: 55.2 · 10.761790840579721 / 100 − 55.2 · 23 / 100 (S₂ = 23 for men aged 40–59).
    EXPECT_NEAR(j.at("fat_mass_to_ideal").get<double>(), -6.755491456, tolerance);
    EXPECT_NEAR(j.at("protein").get<double>(), 23.394433937333346, tolerance);
}

TEST(ComposeCommand, JsonForVector1)
{
    const auto j = run_json("compose --sex male --height 172 --age 40 --weight 55.2 --impedance 508 --json");
    expect_vector1(j);
    // Exactly the documented keys, in order.
    std::vector<std::string> keys;
    for (const auto& item : j.items()) {
        keys.push_back(item.key());
    }
    const std::vector<std::string> expected{"weight",           "bmi",
                                            "body_fat",         "muscle_mass",
                                            "bone_mass",        "water",
                                            "physique_rating",  "body_type",
                                            "visceral_fat",     "metabolic_age",
                                            "basal_metabolism", "lean_body_mass",
                                            "ideal_weight",     "fat_mass_to_ideal",
                                            "protein"};
    EXPECT_EQ(keys, expected);
}

TEST(ComposeCommand, JsonForFemaleVector)
{
    // §8 vector 4: female, 165 cm, 30 y, 62.0 kg, 500 Ω →
    // 62.0;22.8;32.3;39.5;2.5;48.3;5;1;31;1246;51.7;57.0;to_gain:1.7;15.3;500
    const auto j =
        run_json("compose --sex female --height 165 --age 30 --weight 62.0 --impedance 500 --json");
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(fixed(j.at("weight").get<double>(), 1), "62.0");
    EXPECT_EQ(fixed(j.at("bmi").get<double>(), 1), "22.8");
    EXPECT_EQ(fixed(j.at("body_fat").get<double>(), 1), "32.3");
    EXPECT_EQ(fixed(j.at("muscle_mass").get<double>(), 1), "39.5");
    EXPECT_EQ(fixed(j.at("bone_mass").get<double>(), 1), "2.5");
    EXPECT_EQ(fixed(j.at("water").get<double>(), 1), "48.3");
    EXPECT_EQ(j.at("physique_rating").get<int>(), 5);
    EXPECT_EQ(j.at("body_type").get<std::string>(), "balanced");
    EXPECT_EQ(fixed(j.at("visceral_fat").get<double>(), 0), "1");
    EXPECT_EQ(fixed(j.at("metabolic_age").get<double>(), 0), "31");
    EXPECT_EQ(fixed(j.at("basal_metabolism").get<double>(), 0), "1246");
    EXPECT_EQ(fixed(j.at("lean_body_mass").get<double>(), 1), "51.7");
    EXPECT_EQ(fixed(j.at("ideal_weight").get<double>(), 1), "57.0");
    EXPECT_EQ(fixed(-j.at("fat_mass_to_ideal").get<double>(), 1), "1.7");
    EXPECT_LT(j.at("fat_mass_to_ideal").get<double>(), 0);
    EXPECT_EQ(fixed(j.at("protein").get<double>(), 1), "15.3");
    // Hand-checkable raw values: BMI 62 / 1.65², BMR 864.6 + 10.2036·62 − 0.39336·165 − 6.204·30,
    // ideal (165 − 70)·0.6.
    EXPECT_NEAR(j.at("bmi").get<double>(), 62 / (1.65 * 1.65), 1e-6);
    EXPECT_NEAR(j.at("basal_metabolism").get<double>(), 1246.1988, 1e-6);
    EXPECT_NEAR(j.at("ideal_weight").get<double>(), 57.0, 1e-6);
}

TEST(ComposeCommand, BirthdateAndDateGiveTheAgeOfVector1)
{
    const auto j = run_json(
        "compose --sex male --height 172 --birthdate 1984-04-02 --date 2024-07-15 --weight 55.2 --impedance "
        "508 --json");
    expect_vector1(j);
}

TEST(ComposeCommand, WithoutImpedanceTheImpedanceBasedKeysAreNull)
{
    const auto j = run_json("compose --sex male --height 172 --age 40 --weight 55.2 --json");
    ASSERT_TRUE(j.is_object());
    EXPECT_NEAR(j.at("bmi").get<double>(), 18.658734451054627, 1e-6);
    EXPECT_NEAR(j.at("basal_metabolism").get<double>(), 1217.2512, 1e-6);
    for (const char* key : {"body_fat", "muscle_mass", "bone_mass", "water", "physique_rating", "body_type",
                            "metabolic_age", "lean_body_mass", "fat_mass_to_ideal", "protein"}) {
        EXPECT_TRUE(j.at(key).is_null()) << key;
    }
}

TEST(ComposeCommand, TableIsRoundedLikeTheCsv)
{
    const ProcessResult result =
        run("compose --sex male --height 172 --age 40 --weight 55.2 --impedance 508");
    EXPECT_EQ(result.exit_code, 0);
    for (const char* fragment : {"55.2 kg", "18.7", "10.8 %", "46.7 kg", "61.2 %", "7 (skinny)",
                                 "1217 kcal/day", "to_gain:6.8 kg", "23.4 %"}) {
        EXPECT_NE(result.output.find(fragment), std::string::npos) << fragment << " in\n" << result.output;
    }
}

TEST(ComposeCommand, RejectsHeightOver220WithExit1)
{
    const ProcessResult result =
        run("compose --sex male --height 230 --age 40 --weight 55.2 --impedance 508", "2>&1");
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.output.find("Height is too high"), std::string::npos) << result.output;
}

TEST(ComposeCommand, RejectsBadDateWithExit1)
{
    const ProcessResult result =
        run("compose --sex male --height 172 --birthdate 1984-02-30 --date 2024-07-15 --weight 55.2", "2>&1");
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.output.find("--birthdate"), std::string::npos) << result.output;
}

TEST(ComposeCommand, AgeAndBirthdateAreExclusiveAndOneIsRequired)
{
    EXPECT_EQ(run("compose --sex male --height 172 --weight 55.2").exit_code, 2);
    EXPECT_EQ(run("compose --sex male --height 172 --age 40 --birthdate 1984-04-02 --weight 55.2").exit_code,
              2);
    EXPECT_EQ(run("compose --sex male --height 172 --age 40 --date 2024-07-15 --weight 55.2").exit_code, 2);
}

}  // namespace
}  // namespace ble2garmin::cli
