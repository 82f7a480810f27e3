#pragma once
// Which configured person a scale reading belongs to.
//
// Rule (docs/configuration.md "Users and weight ranges"):
//   0. A reading that names the device's own user (the S400's profile: Reading::device_user) whose
//      id some user claims under the device's key (`s400_profile_id`) on that device (on every
//      device of the module, or on the reading's address: User::device_user_id) → that user, whatever the
//      weight (the loader refuses two users with one id). When no user claims it, the weight-range
//      rule below decides among the users without an id for that device: a user who has one is only
//      ever chosen by it, so a guest's or a new profile cannot land on them.
//   1. Candidates are the users whose inclusive range min_weight_kg ≤ W ≤ max_weight_kg holds.
//   2. None → no user: the reading is backed up with status "unassigned" and logged, never deleted.
//   3. One → that user.
//   4. Several (overlapping ranges) → the candidate whose range midpoint is nearest to W; on a tie
//      the one listed first in the config. The rule needs nothing but the config and the reading.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/reading.hpp"
#include "ble2garmin/user.hpp"

namespace ble2garmin::pipeline {

// The user for `weight_kg` (and the device's own user when the reading names one, on the device at
// `device_address`), or nullopt when none matches.
std::optional<User> resolve_user(std::span<const User> users, double weight_kg,
                                 const std::optional<DeviceUser>& device_user = std::nullopt,
                                 std::string_view device_address = {});

// The user of a blood-pressure reading: the user who claims the cuff's user slot (`omron_slot`) on
// the cuff at `device_address` when the reading names one; else, while no user claims any slot of
// that cuff, the only configured user; nullopt otherwise (the row is stored `unassigned`).
std::optional<User> resolve_blood_pressure_user(std::span<const User> users,
                                                const std::optional<DeviceUser>& device_user = std::nullopt,
                                                std::string_view device_address = {});

// A user the weight rule never chooses — at every weight of their range (in the 0.1 kg steps weights
// are recorded in) another user wins — with the user chosen at their range's midpoint. Users with a
// device's own id are left out: the device chooses them.
struct UnreachableUser {
    std::string name;
    std::string chosen_instead;
};
std::vector<UnreachableUser> users_never_chosen_by_weight(std::span<const User> users);

// True when some user claims `device_user` (its id under its key) on the device at `device_address`.
bool has_device_user(std::span<const User> users, const DeviceUser& device_user,
                     std::string_view device_address = {});

}  // namespace ble2garmin::pipeline
