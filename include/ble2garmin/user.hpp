#pragma once
// A person who steps on the scale, from `[[users]]` in the config.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ble2garmin {

// export2garmin's example account, which its users keep for "no Garmin account" (it tests
// "contains", so "email@email.com " counts too).
inline constexpr std::string_view k_placeholder_email = "email@email.com";

// True for an e-mail field that names no Garmin account: empty or export2garmin's placeholder.
inline bool is_no_account(std::string_view email)
{
    return email.empty() || email.find(k_placeholder_email) != std::string_view::npos;
}

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
