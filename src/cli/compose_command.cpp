// `ble2garmin compose --sex male|female --height CM (--age YEARS | --birthdate YYYY-MM-DD
// [--date YYYY-MM-DD]) --weight KG [--impedance OHM] [--json]`: runs the body-composition engine
// the daemon uses on one set of inputs and prints every metric, unrounded as JSON or rounded like
// export2garmin's CSV as a table.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "body/composition.hpp"
#include "cli/commands.hpp"
#include "util/time.hpp"

namespace ble2garmin::cli {
namespace {

struct ComposeOptions {
    std::string sex;
    double height_cm = 0;
    int age_years = 0;
    std::string birthdate;
    std::string date;  // empty: today in the local time zone
    double weight_kg = 0;
    int impedance_ohm = 0;
    bool json = false;
    // Set by the registration, to tell "not given" from a given value.
    const CLI::Option* age_option = nullptr;
    const CLI::Option* impedance_option = nullptr;
};

// The age from --age, or completed years from --birthdate to --date (default today); an Error
// for an unparsable date.
Result<int> resolve_age(const ComposeOptions& options)
{
    if (options.age_option->count() > 0) {
        return options.age_years;
    }
    auto birth = parse_iso_date(options.birthdate);
    if (!birth) {
        return make_error("--birthdate: " + birth.error().message);
    }
    std::chrono::year_month_day on = to_local(std::chrono::system_clock::now()).ymd;
    if (!options.date.empty()) {
        auto date = parse_iso_date(options.date);
        if (!date) {
            return make_error("--date: " + date.error().message);
        }
        on = *date;
    }
    if (on < *birth) {
        return make_error("the birth date " + options.birthdate + " is after the measurement date");
    }
    return body::age_on(*birth, on);
}

template <class T>
nlohmann::ordered_json or_null(const std::optional<T>& value)
{
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

// Unrounded values; the impedance-based ones are null without an impedance.
nlohmann::ordered_json to_json(const body::Composition& c)
{
    nlohmann::ordered_json out;
    out["weight"] = c.weight;
    out["bmi"] = c.bmi;
    out["body_fat"] = or_null(c.body_fat);
    out["muscle_mass"] = or_null(c.muscle_mass);
    out["bone_mass"] = or_null(c.bone_mass);
    out["water"] = or_null(c.water);
    out["physique_rating"] = or_null(c.physique_rating);
    out["body_type"] =
        c.body_type ? nlohmann::ordered_json(std::string(*c.body_type)) : nlohmann::ordered_json(nullptr);
    out["visceral_fat"] = c.visceral_fat;
    out["metabolic_age"] = or_null(c.metabolic_age);
    out["basal_metabolism"] = c.basal_metabolism;
    out["lean_body_mass"] = or_null(c.lean_body_mass);
    out["ideal_weight"] = c.ideal_weight;
    out["fat_mass_to_ideal"] = or_null(c.fat_mass_to_ideal);
    out["protein"] = or_null(c.protein);
    return out;
}

// printf rounding of the exact binary value, the same as Python's format() in export2garmin
// (85.15 → "85.2" because the double is slightly above 85.15).
std::string fixed(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string fixed(const std::optional<double>& value, int decimals, const char* unit)
{
    return value ? fixed(*value, decimals) + unit : "-";
}

// export2garmin's "Fat Mass To Ideal" column: the amount to gain or to lose, 1 decimal.
std::string fat_to_ideal_text(const std::optional<double>& kg)
{
    if (!kg) {
        return "-";
    }
    return (*kg < 0 ? "to_gain:" + fixed(-*kg, 1) : "to_lose:" + fixed(*kg, 1)) + " kg";
}

void print_table(const body::Composition& c, int age_years)
{
    const auto row = [](const char* label, const std::string& value) {
        std::printf("%-20s %s\n", label, value.c_str());
    };
    std::string physique = "-";
    if (c.physique_rating) {
        physique = std::to_string(*c.physique_rating) + " (" + std::string(c.body_type.value_or("")) + ")";
    }
    row("age", std::to_string(age_years) + " years");
    row("weight", fixed(c.weight, 1) + " kg");
    row("bmi", fixed(c.bmi, 1));
    row("body fat", fixed(c.body_fat, 1, " %"));
    row("muscle mass", fixed(c.muscle_mass, 1, " kg"));
    row("bone mass", fixed(c.bone_mass, 1, " kg"));
    row("water", fixed(c.water, 1, " %"));
    row("physique rating", physique);
    row("visceral fat", fixed(c.visceral_fat, 0));
    row("metabolic age", fixed(c.metabolic_age, 0, " years"));
    row("basal metabolism", fixed(c.basal_metabolism, 0) + " kcal/day");
    row("lean body mass", fixed(c.lean_body_mass, 1, " kg"));
    row("ideal weight", fixed(c.ideal_weight, 1) + " kg");
    row("fat mass to ideal", fat_to_ideal_text(c.fat_mass_to_ideal));
    row("protein", fixed(c.protein, 1, " %"));
    row("impedance", c.impedance ? std::to_string(*c.impedance) + " Ω" : "-");
    if (!c.impedance) {
        std::printf("(values shown as - need --impedance)\n");
    }
}

int compose(const ComposeOptions& options)
{
    auto age = resolve_age(options);
    if (!age) {
        std::cerr << "compose: " << age.error().message << "\n";
        return k_exit_failure;
    }
    body::Inputs inputs;
    inputs.sex = options.sex == "female" ? Sex::female : Sex::male;
    inputs.height_cm = options.height_cm;
    inputs.age_years = *age;
    inputs.weight_kg = options.weight_kg;
    if (options.impedance_option->count() > 0) {
        inputs.impedance_ohm = options.impedance_ohm;
    }
    auto composition = body::compose(inputs);
    if (!composition) {
        std::cerr << "compose: " << composition.error().message << "\n";
        return k_exit_failure;
    }
    if (options.json) {
        std::cout << to_json(*composition).dump() << "\n";
    } else {
        print_table(*composition, *age);
    }
    return k_exit_ok;
}

}  // namespace

void add_compose_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<ComposeOptions>();
    auto* command = app.add_subcommand(
        "compose", "Compute body composition (export2garmin's Mi Scale formulas) for one weighing");
    command->add_option("--sex", options->sex, "male or female")
        ->required()
        ->check(CLI::IsMember({"male", "female"}));
    command->add_option("--height", options->height_cm, "Height in cm (at most 220)")->required();
    auto* age_group = command->add_option_group("age", "Exactly one of --age and --birthdate");
    options->age_option =
        age_group->add_option("--age", options->age_years, "Age in completed years (at most 99)");
    auto* birthdate = age_group->add_option("--birthdate", options->birthdate,
                                            "Birth date YYYY-MM-DD; the age is counted in completed years");
    age_group->require_option(1);
    command
        ->add_option("--date", options->date, "Measurement date YYYY-MM-DD for --birthdate (default: today)")
        ->needs(birthdate);
    command->add_option("--weight", options->weight_kg, "Weight in kg (10 to 200)")->required();
    options->impedance_option =
        command->add_option("--impedance", options->impedance_ohm,
                            "Impedance in Ω (at most 3000); without it only the weight-based values");
    command->add_flag("--json", options->json, "Print one JSON object with unrounded values");
    command->callback([options, &exit_code] { exit_code = compose(*options); });
}

}  // namespace ble2garmin::cli
