// The Omron frame protocol against shared/spec/device-omron.md §4.6 and §10.1: known-good frames,
// the channel split and join, the index section.

#include <gtest/gtest.h>

#include "modules/omron/frame.hpp"
#include "modules/omron/memory_index.hpp"
#include "modules/omron/record.hpp"
#include "util/hex.hpp"

namespace ble2garmin::modules::omron {
namespace {

Bytes hex(const char* text)
{
    return *parse_hex(text);
}

TEST(OmronFrame, HostFramesMatchTheSpec)
{
    EXPECT_EQ(to_hex(start_frame()), "0800000000100018");
    EXPECT_EQ(to_hex(end_frame()), "080f000000000007");
    EXPECT_EQ(to_hex(*read_frame(0x0260, 0x26)), "080100026026004d");
    EXPECT_EQ(to_hex(*read_frame(0x04a4, 0x38)), "08010004a4380091");
    EXPECT_FALSE(read_frame(0x0000, 0x39));
    EXPECT_FALSE(read_frame(0x0000, 0));
    // A write: 16 01 c0 02 86 0e + 14 data bytes + 00 + chk; the XOR of the whole frame is 0.
    const Bytes data(14, 0x5a);
    const Bytes frame = *write_frame(0x0286, data);
    EXPECT_EQ(frame.size(), 0x16U);
    EXPECT_EQ(to_hex(Bytes(frame.begin(), frame.begin() + 6)), "1601c002860e");
    EXPECT_EQ(xor_of(frame), 0);
}

TEST(OmronFrame, KnownGoodAnswersParse)
{
    // Start answer of a HEM-7280T (omblepy#57).
    auto start = parse_response(hex("188000000010000000940413110207785a00ffff954d00e5"));
    ASSERT_TRUE(start) << start.error().message;
    EXPECT_EQ(start->type, 0x8000);
    EXPECT_EQ(start->data.size(), 0x10U);
    auto end = parse_response(hex("088f000000000087"));
    ASSERT_TRUE(end) << end.error().message;
    EXPECT_EQ(end->type, 0x8f00);
    ASSERT_EQ(end->data.size(), 1U);
    EXPECT_EQ(end->data[0], 0);
}

// hass-omron#13: four 16-byte channel pieces of one 64-byte answer with four HEM-7322T-E records.
TEST(OmronFrame, ChannelPiecesJoinIntoTheRecords)
{
    const char* pieces[] = {"40810004a4384f611642244a155c0063", "8d80945753681648285216cd005b7d80",
                            "0dce4b5f1646285217480047518034f7", "525f16442b0c1e8300627e8080430086"};
    AnswerAssembler assembler;
    // Out of order, as notifications of four characteristics may be.
    for (int channel : {2, 0, 3}) {
        assembler.add(static_cast<std::size_t>(channel), hex(pieces[channel]));
        EXPECT_FALSE(assembler.frame());
    }
    assembler.add(1, hex(pieces[1]));
    auto frame = assembler.frame();
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->size(), 64U);
    EXPECT_EQ(xor_of(*frame), 0);
    auto response = parse_response(*frame);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->type, 0x8100);
    EXPECT_EQ(response->address, 0x04a4);
    ASSERT_EQ(response->data.size(), 0x38U);
    const Model& model = *find_model("hem-7322t");
    const int expected_sys[] = {122, 129, 120, 120};
    for (int i = 0; i < 4; ++i) {
        auto record = decode_record(
            model,
            std::span<const std::uint8_t>(response->data).subspan(static_cast<std::size_t>(i) * 14, 14));
        ASSERT_TRUE(record && record->has_value());
        EXPECT_EQ((*record)->systolic, expected_sys[i]);
    }
}

TEST(OmronFrame, SplitCutsSixteenBytePieces)
{
    const Bytes frame =
        hex("40810004a4384f611642244a155c00638d80945753681648285216cd005b7d800dce4b5f1646285217"
            "480047518034f7525f16442b0c1e8300627e8080430086");
    const auto pieces = split_pieces(frame);
    ASSERT_EQ(pieces.size(), 4U);
    EXPECT_EQ(to_hex(pieces[3]), "525f16442b0c1e8300627e8080430086");
    EXPECT_EQ(split_pieces(end_frame()).size(), 1U);
}

TEST(OmronFrame, MustFail)
{
    // One bit flipped in a record byte: the XOR is no longer 0.
    EXPECT_FALSE(parse_response(hex("088f000000000187")));
    EXPECT_FALSE(parse_response(hex("188000000010000000940413110207785a00ffff954d00e4")));
    // Length byte disagrees with the frame; too short; claims more data than it has.
    EXPECT_FALSE(parse_response(hex("098f000000000086")));
    EXPECT_FALSE(parse_response(hex("0881")));
    Bytes lying = hex("0881000000200000");
    lying[7] = xor_of(std::span<const std::uint8_t>(lying).first(7));
    EXPECT_FALSE(parse_response(lying));
    // A missing channel piece: no frame.
    AnswerAssembler assembler;
    assembler.add(0, hex("40810004a4384f611642244a155c0063"));
    assembler.add(1, hex("8d80945753681648285216cd005b7d80"));
    assembler.add(3, hex("525f16442b0c1e8300627e8080430086"));
    EXPECT_FALSE(assembler.frame());
}

TEST(OmronFrame, SingleChannelJoinsConsecutiveNotifications)
{
    AnswerAssembler assembler(true);
    assembler.add(0, hex("188000000010000000940413110207785a"));
    EXPECT_FALSE(assembler.frame());
    assembler.add(0, hex("00ffff954d00e5"));
    ASSERT_TRUE(assembler.frame());
    EXPECT_TRUE(parse_response(*assembler.frame()));
}

TEST(OmronIndex, CursorsAndUnreadCounts)
{
    // HEM-7280T (7322T layout, big-endian) index 401e 802d 8000 8000: cursors 30 and 45, nothing unread.
    const Model& big = *find_model("hem-7322t");
    const Bytes section = hex("401e802d80008000");
    auto one = parse_user_index(big, section, 0);
    auto two = parse_user_index(big, section, 1);
    ASSERT_TRUE(one && two);
    EXPECT_EQ(one->next_slot, 30);
    EXPECT_EQ(two->next_slot, 45);
    EXPECT_EQ(one->unread, 0);
    EXPECT_EQ(newest_slot(*one, 100), 29);
    // Little-endian: user 1 cursor 0 wraps to the last slot; user 2 never used.
    const Model& little = *find_model("hem-7155t");
    const Bytes le = hex("0000008003000080");
    auto wrap = parse_user_index(little, le, 0);
    auto never = parse_user_index(little, le, 1);
    ASSERT_TRUE(wrap && never);
    EXPECT_EQ(newest_slot(*wrap, 60), 59);
    EXPECT_EQ(wrap->unread, 3);
    EXPECT_TRUE(never->never_used);
    EXPECT_EQ(newest_slot(*never, 60), std::nullopt);
    // A cursor beyond the slots is refused.
    EXPECT_FALSE(parse_user_index(little, hex("3d00000000000000"), 0));
    // Clearing unread keeps the cursors: LE 00 80, BE 80 00.
    EXPECT_EQ(to_hex(with_unread_cleared(little, hex("0a000b0002000300ffff"))), "0a000b0000800080ffff");
    EXPECT_EQ(to_hex(with_unread_cleared(big, hex("000a000b00020003"))), "000a000b80008000");
}

}  // namespace
}  // namespace ble2garmin::modules::omron
