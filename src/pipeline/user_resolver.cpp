#include "pipeline/user_resolver.hpp"

#include <cmath>

namespace ble2garmin::pipeline {

bool has_profile_id(std::span<const User> users, int profile_id)
{
    for (const auto& user : users) {
        if (user.s400_profile_id == profile_id) {
            return true;
        }
    }
    return false;
}

std::optional<User> resolve_user(std::span<const User> users, double weight_kg, std::optional<int> profile_id)
{
    if (profile_id) {
        for (const auto& user : users) {
            if (user.s400_profile_id == *profile_id) {
                return user;
            }
        }
    }
    const User* best = nullptr;
    double best_distance = 0;
    for (const auto& user : users) {
        if (profile_id && user.s400_profile_id) {
            continue;  // known to the scale under another profile
        }
        if (weight_kg < user.min_weight_kg || weight_kg > user.max_weight_kg) {
            continue;
        }
        const double distance = std::abs(weight_kg - (user.min_weight_kg + user.max_weight_kg) / 2);
        if (best == nullptr || distance < best_distance) {
            best = &user;
            best_distance = distance;
        }
    }
    return best != nullptr ? std::optional<User>(*best) : std::nullopt;
}

std::optional<User> resolve_blood_pressure_user(std::span<const User> users)
{
    return users.size() == 1 ? std::optional<User>(users.front()) : std::nullopt;
}

}  // namespace ble2garmin::pipeline
