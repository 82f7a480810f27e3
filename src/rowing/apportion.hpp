#pragma once
// Dividing a whole-number total among laps in proportion to weights, so that the parts add up to
// the total exactly (largest-remainder method): each part is the floor of its exact share, and the
// units left over go to the largest fractional remainders, earlier laps first on ties.

#include <cstdint>
#include <vector>

namespace ble2garmin::rowing {

// One part per weight, summing to `total`. Negative or non-finite weights count as 0; when all
// weights are 0 the total is shared equally. Empty when `weights` is.
std::vector<std::uint64_t> apportion(std::uint64_t total, const std::vector<double>& weights);

}  // namespace ble2garmin::rowing
