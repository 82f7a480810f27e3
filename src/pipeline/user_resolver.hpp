#pragma once
// Which configured person a scale reading belongs to.
//
// Rule (docs/configuration.md "Users and weight ranges"):
//   0. A reading with a profile id (Xiaomi S400) whose id is some user's s400_profile_id → that
//      user, whatever the weight (the loader refuses two users with one id). When no user has the
//      id, the weight-range rule below decides among the users without an s400_profile_id: a user
//      who has one is only ever chosen by it, so a guest's or a new profile cannot land on them.
//   1. Candidates are the users whose inclusive range min_weight_kg ≤ W ≤ max_weight_kg holds.
//   2. None → no user: the reading is backed up with status "unassigned" and logged, never deleted.
//   3. One → that user.
//   4. Several (overlapping ranges) → the candidate whose range midpoint is nearest to W; on a tie
//      the one listed first in the config. The rule needs nothing but the config and the reading.

#include <optional>
#include <span>

#include "ble2garmin/user.hpp"

namespace ble2garmin::pipeline {

// The user for `weight_kg` (and `profile_id` when the scale sent one), or nullopt when none matches.
std::optional<User> resolve_user(std::span<const User> users, double weight_kg,
                                 std::optional<int> profile_id = std::nullopt);

// The user of a blood-pressure reading: the only configured user; nullopt with several (until the
// cuff's user slots are mapped to users, such readings are stored `unassigned`).
std::optional<User> resolve_blood_pressure_user(std::span<const User> users);

// True when some user has `profile_id` as s400_profile_id.
bool has_profile_id(std::span<const User> users, int profile_id);

}  // namespace ble2garmin::pipeline
