#pragma once
// Which configured person a scale reading belongs to.
//
// Rule (docs/configuration.md "Users and weight ranges"):
//   1. Candidates are the users whose inclusive range min_weight_kg ≤ W ≤ max_weight_kg holds.
//   2. None → no user: the reading is backed up with status "unassigned" and logged, never deleted.
//   3. One → that user.
//   4. Several (overlapping ranges) → the candidate whose range midpoint is nearest to W; on a tie
//      the one listed first in the config. The rule needs nothing but the config, so a pending row
//      resolves to the same person at upload time as when it was recorded.

#include <optional>
#include <span>

#include "ble2garmin/user.hpp"

namespace ble2garmin::pipeline {

// The user for `weight_kg`, or nullopt when no range contains it.
std::optional<User> resolve_user(std::span<const User> users, double weight_kg);

}  // namespace ble2garmin::pipeline
