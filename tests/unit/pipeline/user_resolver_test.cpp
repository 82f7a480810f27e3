#include "pipeline/user_resolver.hpp"

#include <gtest/gtest.h>

namespace ble2garmin::pipeline {
namespace {

User user(const char* name, double min, double max, std::optional<int> s400_profile_id = std::nullopt)
{
    User out;
    out.name = name;
    out.min_weight_kg = min;
    out.max_weight_kg = max;
    if (s400_profile_id) {
        out.device_user_ids["s400_profile_id"] = *s400_profile_id;
    }
    return out;
}

// The S400's profile `id` as its module names it in a reading.
DeviceUser profile(int id)
{
    return {"s400_profile_id", id};
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

// --- S400 profile ids (docs/configuration.md "Users and weight ranges", rule 0) ---------------

TEST(UserResolver, AProfileIdDecidesWhateverTheWeight)
{
    const std::vector<User> users{user("alice", 50, 70, 1), user("bob", 60, 100, 2)};
    EXPECT_EQ(resolve_user(users, 65.0, profile(2))->name, "bob");
    EXPECT_EQ(resolve_user(users, 65.0, profile(1))->name, "alice");
    EXPECT_EQ(resolve_user(users, 120.0, profile(1))->name, "alice");  // outside every range
}

TEST(UserResolver, AProfileIdOfNobodyUsesTheRangesOfUsersWithoutOne)
{
    const std::vector<User> users{user("alice", 50, 70, 1), user("carl", 60, 90), user("dora", 40, 55)};
    EXPECT_TRUE(has_device_user(users, profile(1)));
    EXPECT_FALSE(has_device_user(users, profile(3)));
    EXPECT_EQ(resolve_user(users, 65.0, profile(3))->name,
              "carl");  // alice's range is nearer, but she has profile 1
    EXPECT_EQ(resolve_user(users, 52.0, profile(3))->name, "dora");
    EXPECT_FALSE(resolve_user(users, 95.0, profile(3)));
    // Only alice in range, and she is profile 1: the reading stays unassigned.
    const std::vector<User> only_alice{user("alice", 50, 70, 1)};
    EXPECT_FALSE(resolve_user(only_alice, 65.0, profile(0)));
}

TEST(UserResolver, WithoutAProfileIdEveryUsersRangeCounts)
{
    // A Mi Scale 2 reading has no profile id: alice's S400 profile does not hide her range.
    const std::vector<User> users{user("alice", 50, 70, 1), user("carl", 60, 90)};
    EXPECT_EQ(resolve_user(users, 62.0)->name, "alice");
    EXPECT_EQ(resolve_user(users, 62.0, std::nullopt)->name, "alice");
    EXPECT_EQ(resolve_user(users, 85.0)->name, "carl");
}

TEST(UserResolver, AnIdCountsOnlyForItsOwnDevice)
{
    // alice is profile 1 on the S400; a cuff's user slot 1 is another device's id (and nobody's).
    const std::vector<User> users{user("alice", 50, 70, 1), user("carl", 60, 90)};
    const DeviceUser cuff_slot{"omron_user_slot", 1};
    EXPECT_FALSE(has_device_user(users, cuff_slot));
    EXPECT_EQ(resolve_user(users, 85.0, cuff_slot)->name, "carl");
    EXPECT_EQ(resolve_user(users, 62.0, cuff_slot)->name, "alice");  // nearest midpoint, no id claimed
}

TEST(UsersNeverChosenByWeight, IdenticalRangesLeaveTheSecondUnreachable)
{
    const std::vector<User> users{user("anna", 50, 65), user("bea", 50, 65)};
    const auto never = users_never_chosen_by_weight(users);
    ASSERT_EQ(never.size(), 1U);
    EXPECT_EQ(never[0].name, "bea");
    EXPECT_EQ(never[0].chosen_instead, "anna");
}

TEST(UsersNeverChosenByWeight, AContainedRangeWithTheSameMiddleIsShadowed)
{
    // anna 50–80 and bea 60–70 share the middle 65: every weight of bea's is as near to anna's
    // middle, and the tie goes to anna, listed first.
    const std::vector<User> users{user("anna", 50, 80), user("bea", 60, 70)};
    const auto never = users_never_chosen_by_weight(users);
    ASSERT_EQ(never.size(), 1U);
    EXPECT_EQ(never[0].name, "bea");
}

TEST(UsersNeverChosenByWeight, OverlapsWithOwnMiddlesAndDeviceUsersAreFine)
{
    // bea's 60–66 (middle 63) is inside anna's 50–80 (middle 65), yet 60.0–63.9 kg are nearer to 63.
    EXPECT_TRUE(
        users_never_chosen_by_weight(std::vector<User>{user("anna", 50, 80), user("bea", 60, 66)}).empty());
    // Listed second with anna's range, but the S400 chooses carl by his profile.
    EXPECT_TRUE(users_never_chosen_by_weight(std::vector<User>{user("anna", 50, 65), user("carl", 50, 65, 2)})
                    .empty());
    EXPECT_TRUE(
        users_never_chosen_by_weight(std::vector<User>{user("anna", 50, 65), user("bea", 66, 90)}).empty());
}

}  // namespace
}  // namespace ble2garmin::pipeline

namespace ble2garmin::pipeline {
namespace {

User with_slot(const char* name, std::optional<int> slot)
{
    User out;
    out.name = name;
    if (slot) {
        out.device_user_ids["omron_slot"] = *slot;
    }
    return out;
}

TEST(BloodPressureUser, TheCuffSlotDecides)
{
    const std::vector<User> users{with_slot("adam", 1), with_slot("bea", 2)};
    EXPECT_EQ(resolve_blood_pressure_user(users, DeviceUser{"omron_slot", 2})->name, "bea");
    EXPECT_EQ(resolve_blood_pressure_user(users, DeviceUser{"omron_slot", 1})->name, "adam");
}

TEST(BloodPressureUser, AnUnclaimedSlotIsNobodysWhenSlotsAreClaimed)
{
    // Only adam claims a slot: slot 2's readings are not his, even as the only user.
    const std::vector<User> one{with_slot("adam", 1)};
    EXPECT_FALSE(resolve_blood_pressure_user(one, DeviceUser{"omron_slot", 2}));
}

TEST(BloodPressureUser, WithoutSlotsTheOnlyUserTakesEverything)
{
    const std::vector<User> one{with_slot("adam", std::nullopt)};
    EXPECT_EQ(resolve_blood_pressure_user(one, DeviceUser{"omron_slot", 2})->name, "adam");
    EXPECT_EQ(resolve_blood_pressure_user(one)->name, "adam");
    const std::vector<User> two{with_slot("adam", std::nullopt), with_slot("bea", std::nullopt)};
    EXPECT_FALSE(resolve_blood_pressure_user(two, DeviceUser{"omron_slot", 1}));
}

TEST(BloodPressureUser, TwoCuffsEachWithTheirOwnSlots)
{
    // The bedroom cuff: adam 1, bea 2. The office cuff: bea 1, nobody 2.
    constexpr std::string_view bedroom = "00:5F:BF:00:00:01";
    constexpr std::string_view office = "00:5F:BF:00:00:02";
    User adam = with_slot("adam", std::nullopt);
    adam.device_user_ids_by_address["omron_slot"] = {{std::string(bedroom), 1}};
    User bea = with_slot("bea", std::nullopt);
    bea.device_user_ids_by_address["omron_slot"] = {{std::string(bedroom), 2}, {std::string(office), 1}};
    const std::vector<User> users{adam, bea};
    EXPECT_EQ(resolve_blood_pressure_user(users, DeviceUser{"omron_slot", 1}, bedroom)->name, "adam");
    EXPECT_EQ(resolve_blood_pressure_user(users, DeviceUser{"omron_slot", 2}, bedroom)->name, "bea");
    EXPECT_EQ(resolve_blood_pressure_user(users, DeviceUser{"omron_slot", 1}, office)->name, "bea");
    EXPECT_FALSE(resolve_blood_pressure_user(users, DeviceUser{"omron_slot", 2}, office));
    // A cuff nobody names: its slots are nobody's, and with two users no one takes everything.
    EXPECT_FALSE(resolve_blood_pressure_user(users, DeviceUser{"omron_slot", 1}, "00:5F:BF:00:00:03"));
    // A single user who names one cuff's slot does not get the other cuff's records of that slot…
    const std::vector<User> only_adam{adam};
    EXPECT_FALSE(resolve_blood_pressure_user(only_adam, DeviceUser{"omron_slot", 2}, bedroom));
    // …but a cuff they do not name at all is theirs entirely (no slot of it is claimed).
    EXPECT_EQ(resolve_blood_pressure_user(only_adam, DeviceUser{"omron_slot", 2}, office)->name, "adam");
}

TEST(BloodPressureUser, ASlotOnEveryCuffAppliesToEachAddress)
{
    const std::vector<User> users{with_slot("adam", 1), with_slot("bea", 2)};
    EXPECT_EQ(resolve_blood_pressure_user(users, DeviceUser{"omron_slot", 2}, "00:5F:BF:00:00:01")->name,
              "bea");
    EXPECT_EQ(resolve_blood_pressure_user(users, DeviceUser{"omron_slot", 2}, "00:5F:BF:00:00:02")->name,
              "bea");
}

}  // namespace
}  // namespace ble2garmin::pipeline
