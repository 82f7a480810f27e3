#pragma once
// A person who steps on the scale, from `[[users]]` in the config.

#include <chrono>
#include <optional>
#include <string>

namespace ble2garmin {

enum class Sex { male, female };

struct User {
    std::string name;
    Sex sex = Sex::male;
    double height_cm = 0;
    std::chrono::year_month_day birth_date{};
    std::string garmin_email;  // empty: readings are backed up but never uploaded
    double min_weight_kg = 0;  // inclusive
    double max_weight_kg = 0;  // inclusive
};

}  // namespace ble2garmin
