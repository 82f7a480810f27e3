// The session rule of the S400 (shared/spec/device-s400.md §5) on packets built by hand: which
// packet sequences give one weighing, when, and with which values.

#include <gtest/gtest.h>

#include "modules/s400/session_tracker.hpp"

namespace ble2garmin::modules::s400 {
namespace {

using namespace std::chrono_literals;

const SystemTime k_t0 = SystemTime{} + 1'744'250'605s;
constexpr std::uint32_t k_time = 0x67F726ED;

BodyPacket packet(PacketKind kind, std::uint16_t weight, std::uint8_t hr, std::uint16_t impedance,
                  int profile = 1, std::uint32_t time = k_time)
{
    BodyPacket p;
    p.kind = kind;
    p.profile_id = profile;
    p.weight_raw = weight;
    p.heart_rate_raw = hr;
    p.impedance_raw = impedance;
    p.scale_time = time;
    return p;
}

// V1 / V2 / V3 / V4 of the spec as packets.
BodyPacket a(int profile = 1, std::uint16_t weight = 699, std::uint32_t time = k_time)
{
    return packet(PacketKind::weight, weight, 42, 5432, profile, time);
}
BodyPacket b(int profile = 1)
{
    return packet(PacketKind::impedance_high, 0, 0, 4976, profile);
}
BodyPacket socks(std::uint16_t weight = 747)
{
    return packet(PacketKind::socks, weight, 127, 0, 1, 0x6A180FD5);
}
BodyPacket off()
{
    return packet(PacketKind::stepped_off, 0, 0, 0);
}

class S400Sessions : public ::testing::Test {
protected:
    SessionTracker::Step feed(const BodyPacket& p, SystemTime at)
    {
        std::vector<Weighing> expired;
        if (auto done = m_tracker.expire(at)) {
            expired.push_back(*done);
        }
        auto step = m_tracker.on_packet(p, at, "hci0");
        step.completed.insert(step.completed.begin(), expired.begin(), expired.end());
        return step;
    }

    SessionTracker m_tracker{10s};
};

TEST_F(S400Sessions, BothPacketsGiveOneWeighingWithEverything)
{
    auto first = feed(a(), k_t0);
    EXPECT_TRUE(first.completed.empty());
    EXPECT_EQ(first.why, "waiting for the 250 kHz packet");
    auto second = feed(b(), k_t0 + 3s);
    ASSERT_EQ(second.completed.size(), 1U);
    const Weighing& w = second.completed[0];
    EXPECT_EQ(w.profile_id, 1);
    EXPECT_EQ(w.weight_raw, 699);
    EXPECT_EQ(w.heart_rate_raw, 42);
    EXPECT_EQ(w.impedance_low_raw, 5432);
    EXPECT_EQ(w.impedance_high_raw, 4976);
    EXPECT_EQ(w.scale_time, k_time);
    EXPECT_EQ(w.first_seen, k_t0);
    EXPECT_EQ(w.source, "hci0");
    // Nothing is left to expire.
    EXPECT_FALSE(m_tracker.expire(k_t0 + 1h));
}

TEST_F(S400Sessions, WithoutTheSecondPacketTheFirstIsReportedAfterTheGraceTime)
{
    EXPECT_TRUE(feed(a(), k_t0).completed.empty());
    EXPECT_FALSE(m_tracker.expire(k_t0 + 9s));
    auto done = m_tracker.expire(k_t0 + 10s);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->impedance_low_raw, 5432);
    EXPECT_FALSE(done->impedance_high_raw);
    EXPECT_EQ(done->first_seen, k_t0);
    // The late 250 kHz packet finds nothing to complete.
    auto late = feed(b(), k_t0 + 12s);
    EXPECT_TRUE(late.completed.empty());
    EXPECT_EQ(late.why, "250 kHz packet without a weight packet");
}

TEST_F(S400Sessions, TheWeightPacketAgainDoesNotRestartTheWait)
{
    (void)feed(a(), k_t0);
    EXPECT_EQ(feed(a(), k_t0 + 5s).why, "weight packet again, waiting for the 250 kHz packet");
    auto done = m_tracker.expire(k_t0 + 10s);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->first_seen, k_t0);
}

TEST_F(S400Sessions, AReportedWeighingIsNotReportedAgain)
{
    (void)feed(a(), k_t0);
    ASSERT_EQ(feed(b(), k_t0 + 2s).completed.size(), 1U);
    EXPECT_EQ(feed(a(), k_t0 + 4s).why, "weighing already reported");
    EXPECT_TRUE(feed(b(), k_t0 + 5s).completed.empty());
    EXPECT_FALSE(m_tracker.expire(k_t0 + 1h));
}

TEST_F(S400Sessions, SteppingOffEndsTheWaitWithWhatArrived)
{
    (void)feed(a(), k_t0);
    auto step = feed(off(), k_t0 + 4s);
    ASSERT_EQ(step.completed.size(), 1U);
    EXPECT_FALSE(step.completed[0].impedance_high_raw);
    EXPECT_EQ(feed(off(), k_t0 + 5s).why, "stepped off");
}

TEST_F(S400Sessions, SocksAreFinalAtOnceWithWeightOnly)
{
    auto step = feed(socks(), k_t0);
    ASSERT_EQ(step.completed.size(), 1U);
    const Weighing& w = step.completed[0];
    EXPECT_EQ(w.weight_raw, 747);
    EXPECT_FALSE(w.impedance_low_raw);
    EXPECT_FALSE(w.impedance_high_raw);
    EXPECT_EQ(w.heart_rate_raw, 127);
    EXPECT_EQ(feed(socks(), k_t0 + 1s).why, "weighing already reported");
}

TEST_F(S400Sessions, TheSecondPacketFirstWaitsForTheWeightPacket)
{
    EXPECT_TRUE(feed(b(), k_t0).completed.empty());
    auto step = feed(a(), k_t0 + 2s);
    ASSERT_EQ(step.completed.size(), 1U);
    EXPECT_EQ(step.completed[0].impedance_high_raw, 4976);
    EXPECT_EQ(step.completed[0].first_seen, k_t0 + 2s);
}

TEST_F(S400Sessions, AnOldSecondPacketIsNotJoined)
{
    (void)feed(b(), k_t0);
    EXPECT_TRUE(feed(a(), k_t0 + 11s).completed.empty());
    auto done = m_tracker.expire(k_t0 + 21s);
    ASSERT_TRUE(done);
    EXPECT_FALSE(done->impedance_high_raw);
}

TEST_F(S400Sessions, AnotherProfilesSecondPacketIsNotJoined)
{
    (void)feed(a(1), k_t0);
    EXPECT_TRUE(feed(b(2), k_t0 + 2s).completed.empty());
    auto done = m_tracker.expire(k_t0 + 10s);
    ASSERT_TRUE(done);
    EXPECT_FALSE(done->impedance_high_raw);
}

TEST_F(S400Sessions, ANewWeighingReportsTheUnfinishedOne)
{
    (void)feed(a(1, 699), k_t0);
    auto step = feed(a(2, 812, k_time + 6), k_t0 + 6s);
    ASSERT_EQ(step.completed.size(), 1U);
    EXPECT_EQ(step.completed[0].profile_id, 1);
    auto second = feed(b(2), k_t0 + 8s);
    ASSERT_EQ(second.completed.size(), 1U);
    EXPECT_EQ(second.completed[0].profile_id, 2);
    EXPECT_EQ(second.completed[0].weight_raw, 812);
    EXPECT_EQ(second.completed[0].impedance_high_raw, 4976);
}

TEST_F(S400Sessions, SocksAfterAnUnfinishedWeighingGiveBoth)
{
    (void)feed(a(), k_t0);
    auto step = feed(socks(), k_t0 + 5s);
    ASSERT_EQ(step.completed.size(), 2U);
    EXPECT_EQ(step.completed[0].weight_raw, 699);
    EXPECT_EQ(step.completed[1].weight_raw, 747);
}

TEST_F(S400Sessions, TheSameWeighingIsNewAgainAfterTheMemory)
{
    (void)feed(socks(), k_t0);
    EXPECT_EQ(feed(socks(), k_t0 + 9min).why, "weighing already reported");
    EXPECT_EQ(feed(socks(), k_t0 + 10min).completed.size(), 1U);
}

TEST(S400SessionGrace, IsConfigurable)
{
    SessionTracker tracker(3s);
    (void)tracker.on_packet(a(), k_t0, "replay");
    EXPECT_FALSE(tracker.expire(k_t0 + 2s));
    EXPECT_TRUE(tracker.expire(k_t0 + 3s));
}

}  // namespace
}  // namespace ble2garmin::modules::s400
