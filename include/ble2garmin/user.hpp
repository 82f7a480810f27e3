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
    // The user's profile on a Xiaomi S400 (the byte the scale sends, 0–255); it decides before the
    // weight range for readings that carry a profile id (pipeline/user_resolver.hpp).
    std::optional<int> s400_profile_id;
};

}  // namespace ble2garmin
