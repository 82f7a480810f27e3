#include "pipeline/user_resolver.hpp"

#include <cmath>

namespace ble2garmin::pipeline {

bool has_device_user(std::span<const User> users, const DeviceUser& device_user,
                     std::string_view device_address)
{
    for (const auto& user : users) {
        if (user.device_user_id(device_user.key, device_address) == device_user.id) {
            return true;
        }
    }
    return false;
}

std::optional<User> resolve_user(std::span<const User> users, double weight_kg,
                                 const std::optional<DeviceUser>& device_user,
                                 std::string_view device_address)
{
    if (device_user) {
        for (const auto& user : users) {
            if (user.device_user_id(device_user->key, device_address) == device_user->id) {
                return user;
            }
        }
    }
    const User* best = nullptr;
    double best_distance = 0;
    for (const auto& user : users) {
        if (device_user && user.device_user_id(device_user->key, device_address)) {
            continue;  // known to the device as another of its users
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

std::optional<User> resolve_blood_pressure_user(std::span<const User> users,
                                                const std::optional<DeviceUser>& device_user,
                                                std::string_view device_address)
{
    if (device_user) {
        bool slots_claimed = false;
        for (const auto& user : users) {
            if (auto id = user.device_user_id(device_user->key, device_address)) {
                if (*id == device_user->id) {
                    return user;
                }
                slots_claimed = true;
            }
        }
        if (slots_claimed) {
            return std::nullopt;  // the cuff's slots are claimed, this one by nobody
        }
    }
    return users.size() == 1 ? std::optional<User>(users.front()) : std::nullopt;
}

std::vector<UnreachableUser> users_never_chosen_by_weight(std::span<const User> users)
{
    std::vector<UnreachableUser> never;
    for (const auto& user : users) {
        if (user.has_device_user_ids() || user.max_weight_kg < user.min_weight_kg) {
            continue;
        }
        const auto first = static_cast<long long>(std::ceil(user.min_weight_kg * 10 - 1e-9));
        const auto last = static_cast<long long>(std::floor(user.max_weight_kg * 10 + 1e-9));
        bool chosen = false;
        for (long long tenths = first; tenths <= last && !chosen; ++tenths) {
            const auto winner = resolve_user(users, static_cast<double>(tenths) / 10);
            chosen = winner && winner->name == user.name;
        }
        if (!chosen) {
            const auto instead = resolve_user(users, (user.min_weight_kg + user.max_weight_kg) / 2);
            never.push_back({user.name, instead ? instead->name : "-"});
        }
    }
    return never;
}

}  // namespace ble2garmin::pipeline
