#include "store/row_owners.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace ble2garmin::store {
namespace {

class RowOwnersTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_path = std::filesystem::path(::testing::TempDir()) /
                 ("row-owners-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".tsv");
        std::filesystem::remove(m_path);
    }
    void TearDown() override { std::filesystem::remove(m_path); }

    std::string text() const
    {
        std::ifstream in(m_path);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

    std::filesystem::path m_path;
};

TEST_F(RowOwnersTest, RemembersAcrossReopeningAndTheLastLineWins)
{
    {
        auto owners = RowOwners::open(m_path);
        ASSERT_TRUE(owners.ok());
        EXPECT_FALSE(owners->owner_of(1721076654));
        ASSERT_TRUE(owners->remember(1721076654, "adam").ok());
        ASSERT_TRUE(owners->remember(1744250605, "bea").ok());
        ASSERT_TRUE(owners->remember(1721076654, "Anna Maria").ok());
        EXPECT_EQ(owners->owner_of(1721076654), "Anna Maria");
    }
    EXPECT_EQ(text(), "1721076654\tadam\n1744250605\tbea\n1721076654\tAnna Maria\n");
    auto reopened = RowOwners::open(m_path);
    ASSERT_TRUE(reopened.ok());
    EXPECT_EQ(reopened->owner_of(1721076654), "Anna Maria");
    EXPECT_EQ(reopened->owner_of(1744250605), "bea");
    EXPECT_FALSE(reopened->owner_of(1744250606));
}

TEST_F(RowOwnersTest, UnreadableLinesAreSkipped)
{
    std::ofstream(m_path) << "garbage\n12x\tadam\n\tbea\n17\t\n42\tcyd\n"
                          << "43\tdan";
    auto owners = RowOwners::open(m_path);
    ASSERT_TRUE(owners.ok());
    EXPECT_EQ(owners->owner_of(42), "cyd");
    EXPECT_EQ(owners->owner_of(43), "dan");  // no final line break: still a line
    EXPECT_FALSE(owners->owner_of(17));
    EXPECT_FALSE(owners->owner_of(12));
}

TEST_F(RowOwnersTest, NamesWithTabsOrLineBreaksAreRefused)
{
    auto owners = RowOwners::open(m_path);
    ASSERT_TRUE(owners.ok());
    EXPECT_FALSE(owners->remember(1, "a\tb").ok());
    EXPECT_FALSE(owners->remember(1, "a\nb").ok());
    EXPECT_FALSE(owners->remember(1, "").ok());
    EXPECT_FALSE(std::filesystem::exists(m_path));
}

}  // namespace
}  // namespace ble2garmin::store
