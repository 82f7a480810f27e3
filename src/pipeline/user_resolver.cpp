#include "pipeline/user_resolver.hpp"

#include <cmath>

namespace ble2garmin::pipeline {

std::optional<User> resolve_user(std::span<const User> users, double weight_kg)
{
    const User* best = nullptr;
    double best_distance = 0;
    for (const auto& user : users) {
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

}  // namespace ble2garmin::pipeline
