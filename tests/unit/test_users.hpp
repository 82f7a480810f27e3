#pragma once
// The person of the spec's body-composition vectors, shared by the tests that compute with them.

#include <chrono>

#include "ble2garmin/user.hpp"

namespace ble2garmin::testing_support {

// body-composition.md §8 vector 1: male, 172 cm, born 1984-04-02 (age 40 on 2024-07-15), 50–65 kg.
inline User adam()
{
    User user;
    user.name = "adam";
    user.sex = Sex::male;
    user.height_cm = 172;
    user.birth_date =
        std::chrono::year_month_day{std::chrono::year{1984}, std::chrono::month{4}, std::chrono::day{2}};
    user.min_weight_kg = 50;
    user.max_weight_kg = 65;
    return user;
}

}  // namespace ble2garmin::testing_support
