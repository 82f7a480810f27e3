#include <gtest/gtest.h>

#include "pipeline/user_resolver.hpp"

namespace ble2garmin::pipeline {
namespace {

User user(const char* name, double min, double max)
{
    User out;
    out.name = name;
    out.min_weight_kg = min;
    out.max_weight_kg = max;
    return out;
}

TEST(UserResolver, InclusiveRange)
{
    const std::vector<User> users{user("alice", 50, 70), user("bob", 75, 100)};
    EXPECT_EQ(resolve_user(users, 50.0)->name, "alice");
    EXPECT_EQ(resolve_user(users, 70.0)->name, "alice");
    EXPECT_EQ(resolve_user(users, 75.0)->name, "bob");
    EXPECT_FALSE(resolve_user(users, 72.0));
    EXPECT_FALSE(resolve_user(users, 49.99));
    EXPECT_FALSE(resolve_user({}, 60.0));
}

TEST(UserResolver, OverlapGoesToTheNearestMidpoint)
{
    // alice 50–80 (midpoint 65), bob 70–100 (midpoint 85): 74 → alice (9 away vs 11), 76 → bob.
    const std::vector<User> users{user("alice", 50, 80), user("bob", 70, 100)};
    EXPECT_EQ(resolve_user(users, 74.0)->name, "alice");
    EXPECT_EQ(resolve_user(users, 76.0)->name, "bob");
}

TEST(UserResolver, TieGoesToTheFirstListed)
{
    const std::vector<User> users{user("first", 60, 80), user("second", 60, 80)};
    EXPECT_EQ(resolve_user(users, 70.0)->name, "first");
}

}  // namespace
}  // namespace ble2garmin::pipeline
