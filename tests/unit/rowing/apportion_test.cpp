#include "rowing/apportion.hpp"

#include <numeric>

#include <gtest/gtest.h>

namespace ble2garmin::rowing {
namespace {

TEST(Apportion, LargestRemaindersGetTheLeftOverUnits)
{
    // 10 × 1/3 = 3.33 each: floors 3, 3, 3, one left over for the first (ties: earlier first).
    EXPECT_EQ(apportion(10, {1, 1, 1}), (std::vector<std::uint64_t>{4, 3, 3}));
    // 76 kcal by 150 : 120 : 30 → 38, 30.4, 7.6 → 38, 30, 8.
    EXPECT_EQ(apportion(76, {150, 120, 30}), (std::vector<std::uint64_t>{38, 30, 8}));
}

TEST(Apportion, PartsAlwaysAddUpToTheTotal)
{
    const std::vector<double> weights{0.1, 7, 3.3, 0, 1e-9, 12.5};
    for (std::uint64_t total : {0ull, 1ull, 7ull, 849ull, 100'000ull}) {
        const auto parts = apportion(total, weights);
        EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), std::uint64_t{0}), total) << total;
        EXPECT_EQ(parts[3], 0u);
    }
}

TEST(Apportion, NoWeightSharesEqually)
{
    EXPECT_EQ(apportion(5, {0, -1, 0}), (std::vector<std::uint64_t>{2, 2, 1}));
    EXPECT_TRUE(apportion(5, {}).empty());
}

}  // namespace
}  // namespace ble2garmin::rowing
