// The Omron session over a fake cuff (omron_fake_cuff.hpp): unlock, key programming, the first
// download of everything, new records only against the cursors, retries, faults, and that nothing
// is written to the cuff unless asked.

#include <gtest/gtest.h>

#include "modules/omron/options.hpp"
#include "modules/omron/record.hpp"
#include "modules/omron/session.hpp"
#include "omron_fake_cuff.hpp"
#include "util/hex.hpp"

namespace ble2garmin::modules::omron {
namespace {

using testing_support::FakeCuff;

Options options_for(const char* model)
{
    Options options;
    options.mac = "00:5F:BF:00:00:01";
    options.model = find_model(model);
    options.key = *parse_key(k_default_key);
    return options;
}

Bytes key_bytes()
{
    return *parse_hex(k_default_key);
}

// A 7155T record (little-endian) of `sys`/`dia`/`pulse` on 2024-07-`day` 08:`minute`:00.
Bytes little_record(int sys, int dia, int pulse, int day, int minute)
{
    const unsigned v = 8U | (static_cast<unsigned>(day) << 5) | (7U << 10);
    const unsigned w = static_cast<unsigned>(minute) << 6;
    Bytes r(16, 0);
    r[0] = static_cast<std::uint8_t>(sys - 25);
    r[1] = static_cast<std::uint8_t>(dia);
    r[2] = static_cast<std::uint8_t>(pulse);
    r[3] = 24;
    r[4] = static_cast<std::uint8_t>(v & 0xFF);
    r[5] = static_cast<std::uint8_t>(v >> 8);
    r[6] = static_cast<std::uint8_t>(w & 0xFF);
    r[7] = static_cast<std::uint8_t>(w >> 8);
    return r;
}

// The 7155T index section: user cursors (next slot) and unread counts, little-endian.
void set_index(FakeCuff& cuff, int next1, int next2, int unread1 = 0x8000, int unread2 = 0x8000)
{
    const int fields[] = {next1, next2, unread1, unread2};
    for (int i = 0; i < 4; ++i) {
        cuff.eeprom()[static_cast<std::size_t>(0x10 + 2 * i)] = static_cast<std::uint8_t>(fields[i] & 0xFF);
        cuff.eeprom()[static_cast<std::size_t>(0x10 + 2 * i + 1)] = static_cast<std::uint8_t>(fields[i] >> 8);
    }
    for (int i = 8; i < 16; ++i) {
        cuff.eeprom()[static_cast<std::size_t>(0x10 + i)] = 0x00;
    }
}

class OmronSessionTest : public testing::Test {
protected:
    OmronSessionTest() : cuff(*find_model("hem-7155t"))
    {
        cuff.key = key_bytes();
        cuff.put_record(0, 0, little_record(120, 80, 65, 1, 0));
        cuff.put_record(0, 1, little_record(130, 85, 70, 2, 0));
        cuff.put_record(0, 2, little_record(140, 90, 75, 3, 0));
        cuff.put_record(1, 0, little_record(118, 76, 60, 1, 30));
        set_index(cuff, 3, 1);
    }
    FakeCuff cuff;
};

TEST_F(OmronSessionTest, FirstSessionReadsEverythingOfBothUsersAndWritesNothing)
{
    OmronSession session(options_for("hem-7155t"));
    auto output = session.run(cuff, {});
    ASSERT_TRUE(output) << output.error().message;
    ASSERT_EQ(output->records.size(), 4U);
    EXPECT_EQ(output->records[0].value.systolic_mmhg, 120);
    EXPECT_EQ(output->records[0].stream, "user1");
    EXPECT_EQ(output->records[2].value.systolic_mmhg, 140);
    EXPECT_EQ(output->records[3].device_user.id, 2);
    EXPECT_EQ(output->records[3].device_user.key, "omron_slot");
    EXPECT_EQ(output->records[3].value.diastolic_mmhg, 76);
    EXPECT_EQ(output->records[3].taken_at.minute, 30);
    EXPECT_TRUE(cuff.writes.empty());
    // start first, end last.
    EXPECT_EQ(to_hex(cuff.host_frames.front()), "0800000000100018");
    EXPECT_EQ(to_hex(cuff.host_frames.back()), "080f000000000007");
}

TEST_F(OmronSessionTest, NextSessionReadsOnlyWhatIsNewer)
{
    OmronSession session(options_for("hem-7155t"));
    auto first = session.run(cuff, {});
    ASSERT_TRUE(first);
    SessionInput input;
    for (const auto& record : first->records) {
        input.cursors[record.stream] = std::max(input.cursors[record.stream], record.position);
    }
    cuff.put_record(0, 3, little_record(125, 82, 66, 4, 0));
    set_index(cuff, 4, 1);
    const int reads_before = cuff.reads;
    auto second = session.run(cuff, input);
    ASSERT_TRUE(second) << second.error().message;
    ASSERT_EQ(second->records.size(), 1U);
    EXPECT_EQ(second->records[0].value.systolic_mmhg, 125);
    // Index, slot 3 and slot 2 (where it stops) for user 1, slot 0 for user 2: not 120 slots.
    EXPECT_LE(cuff.reads - reads_before, 5);
}

TEST_F(OmronSessionTest, WrappedCursorReadsAcrossTheEnd)
{
    OmronSession session(options_for("hem-7155t"));
    // User 1's ring is full and wrapped: slots 58, 59 then 0 are the three newest.
    FakeCuff wrapped(*find_model("hem-7155t"));
    wrapped.key = key_bytes();
    for (int slot = 0; slot < 60; ++slot) {
        wrapped.put_record(0, slot, little_record(100 + (slot % 20), 70, 60, 1 + slot / 10, slot % 10));
    }
    wrapped.put_record(0, 0, little_record(150, 95, 80, 20, 0));
    set_index(wrapped, 1, 0x8000);
    SessionInput input;
    input.cursors["user1"] = local_seconds({2024, 7, 6, 8, 7, 0});
    auto output = session.run(wrapped, input);
    ASSERT_TRUE(output) << output.error().message;
    ASSERT_EQ(output->records.size(), 3U);  // slots 58 (07-06 08:08), 59 (08:09), 0 (07-20)
    EXPECT_EQ(output->records.back().value.systolic_mmhg, 150);
}

TEST_F(OmronSessionTest, BadChecksumAndSilenceAreRetried)
{
    cuff.corrupt_answers = 2;
    cuff.silent_answers = 1;
    OmronSession session(options_for("hem-7155t"));
    auto output = session.run(cuff, {});
    ASSERT_TRUE(output) << output.error().message;
    EXPECT_EQ(output->records.size(), 4U);
}

TEST_F(OmronSessionTest, PersistentBadChecksumFailsTheSession)
{
    cuff.corrupt_answers = 100;
    OmronSession session(options_for("hem-7155t"));
    auto output = session.run(cuff, {});
    ASSERT_FALSE(output);
    EXPECT_NE(output.error().message.find("checksum"), std::string::npos) << output.error().message;
}

TEST_F(OmronSessionTest, DisconnectMidTransferFailsTheSession)
{
    cuff.disconnect_after_reads = 5;
    OmronSession session(options_for("hem-7155t"));
    auto output = session.run(cuff, {});
    ASSERT_FALSE(output);
}

TEST_F(OmronSessionTest, WrongKeyWithoutPairingModeIsRefusedInWords)
{
    cuff.key = Bytes(16, 0x42);
    OmronSession session(options_for("hem-7155t"));
    auto output = session.run(cuff, {});
    ASSERT_FALSE(output);
    EXPECT_NE(output.error().message.find("omron pair"), std::string::npos) << output.error().message;
    EXPECT_TRUE(cuff.host_frames.empty());
}

TEST_F(OmronSessionTest, CuffInPairingModeGetsTheKeyAndIsRead)
{
    cuff.key = Bytes(16, 0x00);
    cuff.pairing_mode = true;
    cuff.paired_now = false;
    OmronSession session(options_for("hem-7155t"));
    auto output = session.run(cuff, {});
    ASSERT_TRUE(output) << output.error().message;
    EXPECT_TRUE(cuff.pair_called);
    EXPECT_EQ(cuff.key, key_bytes());
    EXPECT_EQ(output->records.size(), 4U);
}

TEST_F(OmronSessionTest, OptInWritesClearUnreadAndSetTheClock)
{
    set_index(cuff, 3, 1, 2, 1);
    Options options = options_for("hem-7155t");
    options.update_unread_counter = true;
    options.sync_time = true;
    OmronSession session(options);
    SessionInput input;
    input.local_now = {2026, 12, 3, 11, 20, 5};
    auto output = session.run(cuff, input);
    ASSERT_TRUE(output) << output.error().message;
    ASSERT_EQ(cuff.writes.size(), 2U);
    EXPECT_EQ(cuff.writes[0].first, 0x0054);
    EXPECT_EQ(to_hex(cuff.writes[0].second), "0300010000800080" + std::string(16, '0'));
    EXPECT_EQ(cuff.writes[1].first, 0x0054 + 0x2C);
    const Bytes& clock = cuff.writes[1].second;
    ASSERT_EQ(clock.size(), 16U);
    EXPECT_EQ(to_hex(Bytes(clock.begin() + 8, clock.begin() + 14)), "1a0c030b1405");
    unsigned sum = 0;
    for (int i = 0; i < 14; ++i) {
        sum += clock[static_cast<std::size_t>(i)];
    }
    EXPECT_EQ(clock[14], sum & 0xFF);
}

TEST(OmronSessionModels, BigEndianAndSingleChannelModelsDownload)
{
    // HEM-7322T: the four real records of hass-omron#13 at user 1 slots 36–39 (0x04A4 = 0x02AC + 36·14).
    FakeCuff m7(*find_model("hem-7322t"));
    m7.key = key_bytes();
    const Bytes reply = *parse_hex(
        "4f611642244a155c00638d809457"
        "53681648285216cd005b7d800dce"
        "4b5f1646285217480047518034f7"
        "525f16442b0c1e8300627e808043");
    ASSERT_EQ(reply.size(), 56U);
    for (int i = 0; i < 4; ++i) {
        m7.put_record(0, 36 + i, Bytes(reply.begin() + i * 14, reply.begin() + (i + 1) * 14));
    }
    const Bytes index = *parse_hex("0028800080008000");  // user 1 next slot 40, user 2 never used
    std::copy(index.begin(), index.end(), m7.eeprom().begin() + 0x0260);
    auto output = OmronSession(options_for("hem-7322t")).run(m7, {});
    ASSERT_TRUE(output) << output.error().message;
    ASSERT_EQ(output->records.size(), 4U);
    EXPECT_EQ(output->records[0].value.systolic_mmhg, 122);
    EXPECT_EQ(output->records[3].taken_at.day, 24);

    // HEM-7380T1: single channel, no unlock, no index: everything read, the cursor filters.
    FakeCuff m7380(*find_model("hem-7380t1"));
    m7380.put_record(1, 5, *parse_hex("5f504118311e5e0b0000000000000000"));
    auto single = OmronSession(options_for("hem-7380t1")).run(m7380, {});
    ASSERT_TRUE(single) << single.error().message;
    ASSERT_EQ(single->records.size(), 1U);
    EXPECT_EQ(single->records[0].device_user.id, 2);
}

}  // namespace
}  // namespace ble2garmin::modules::omron
