// Omron record layouts against shared/spec/device-omron.md §10 (real records of hass-omron#13 and
// hass-omron's tests; synthetic records with values computed by hand from §6), for every model.

#include <gtest/gtest.h>

#include "modules/omron/models.hpp"
#include "modules/omron/record.hpp"
#include "util/hex.hpp"

namespace ble2garmin::modules::omron {
namespace {

struct Vector {
    const char* model;
    const char* hex;
    int sys, dia, pulse;
    int year, month, day, hour, minute, second;
    bool mov, ihb;
};

class RecordVectors : public testing::TestWithParam<Vector> {};

TEST_P(RecordVectors, DecodesAsTheSpecSays)
{
    const Vector& v = GetParam();
    const Model* model = find_model(v.model);
    ASSERT_NE(model, nullptr) << v.model;
    const Bytes bytes = *parse_hex(v.hex);
    auto decoded = decode_record(*model, bytes);
    ASSERT_TRUE(decoded) << decoded.error().message;
    ASSERT_TRUE(decoded->has_value());
    const Record& r = **decoded;
    EXPECT_EQ(r.systolic, v.sys);
    EXPECT_EQ(r.diastolic, v.dia);
    EXPECT_EQ(r.pulse, v.pulse);
    EXPECT_EQ(r.taken_at.year, v.year);
    EXPECT_EQ(r.taken_at.month, v.month);
    EXPECT_EQ(r.taken_at.day, v.day);
    EXPECT_EQ(r.taken_at.hour, v.hour);
    EXPECT_EQ(r.taken_at.minute, v.minute);
    EXPECT_EQ(r.taken_at.second, v.second);
    EXPECT_EQ(r.movement, v.mov);
    EXPECT_EQ(r.irregular_heartbeat, v.ihb);
}

// §10.1 / §10.2. The 14-byte HEM-7142T2 slots of hass-omron share the first 8 bytes with the 16-byte
// little-endian layout: padded with two zero bytes here.
INSTANTIATE_TEST_SUITE_P(
    Spec, RecordVectors,
    testing::Values(
        Vector{"hem-7322t", "4f611642244a155c00638d809457", 122, 79, 66, 2022, 9, 2, 10, 21, 28, false,
               false},
        Vector{"hem-7322t", "53681648285216cd005b7d800dce", 129, 83, 72, 2022, 10, 2, 18, 27, 13, false,
               false},
        Vector{"hem-7322t", "4b5f1646285217480047518034f7", 120, 75, 70, 2022, 10, 2, 18, 29, 8, false,
               false},
        Vector{"hem-7322t", "525f16442b0c1e8300627e808043", 120, 82, 68, 2022, 10, 24, 12, 58, 3, false,
               false},
        Vector{"hem-7600t", "5b781a4819d71b42000014006996", 145, 91, 72, 2026, 6, 14, 23, 45, 2, false,
               false},
        Vector{"hem-7155t", "6558541a331ade1800004c00ba000000", 126, 88, 84, 2026, 6, 17, 19, 35, 30, false,
               false},
        Vector{"hem-7155t", "6457431a7316161c0000460019000000", 125, 87, 67, 2026, 5, 19, 19, 48, 22, false,
               false},
        // §10.2 synthetic: 120/80/65 at 2024-07-17 17:45:30 in both layouts, for every model of each.
        Vector{"hem-7150t", "5f504118311e5e0b0000000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        Vector{"hem-7155t", "5f504118311e5e0b0000000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        Vector{"hem-7342t", "5f504118311e5e0b0000000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        Vector{"hem-7361t", "5f504118311e5e0b0000000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        Vector{"hem-7380t1", "5f504118311e5e0b0000000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        Vector{"hem-7377t1", "5f504118311e5e0b0000000000000100", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        Vector{"hem-7322t", "505f18411e310b5e000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        Vector{"hem-7600t", "505f18411e310b5e000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        Vector{"hem-6232t", "505f18411e310b5e000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        Vector{"hem-7530t", "505f18411e310b5e000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        // Flags, by hand: little-endian v = 0x1e31 | bit 15 (MOV) → bytes 31 9e; | bit 14 (IHB) → 31 5e.
        Vector{"hem-7155t", "5f504118319e5e0b0000000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, true,
               false},
        Vector{"hem-7155t", "5f504118315e5e0b0000000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               true},
        // Big-endian V = 0x9e31 (bit 15): MOV on the 7322t, IHB on the 6232t (swapped); 0x5e31 the reverse.
        Vector{"hem-7322t", "505f18419e310b5e000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, true,
               false},
        Vector{"hem-6232t", "505f18419e310b5e000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               true},
        Vector{"hem-6232t", "505f18415e310b5e000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, true,
               false},
        // 6232t / 7530t: the year byte's top bits are flags (0xd8 & 0x3f = 24); the 7322t reads all 8.
        Vector{"hem-6232t", "505fd8411e310b5e000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        Vector{"hem-7530t", "505fd8411e310b5e000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 30, false,
               false},
        // Seconds above 59 in the 6-bit field are clamped: w = 0x0b7e → second 62 → 59.
        Vector{"hem-7155t", "5f504118311e7e0b0000000000000000", 120, 80, 65, 2024, 7, 17, 17, 45, 59, false,
               false}));

TEST(OmronRecord, EmptySlotsAreEmpty)
{
    for (const auto& model : models()) {
        const Bytes empty(model.record_size, 0xFF);
        auto decoded = decode_record(model, empty);
        ASSERT_TRUE(decoded) << model.name;
        EXPECT_FALSE(decoded->has_value()) << model.name;
    }
    // 7380t1: byte 0 above 0xE1 is empty.
    auto e2 = decode_record(*find_model("hem-7380t1"), *parse_hex("e2504118311e5e0b0000000000000000"));
    ASSERT_TRUE(e2);
    EXPECT_FALSE(e2->has_value());
    // 7377t1: a year before 2020 is a slot never written.
    auto old = decode_record(*find_model("hem-7377t1"), *parse_hex("5f504113311e5e0b0000000000000100"));
    ASSERT_TRUE(old);
    EXPECT_FALSE(old->has_value());
}

TEST(OmronRecord, MustFail)
{
    const Model& little = *find_model("hem-7155t");
    const Model& big = *find_model("hem-7322t");
    // Wrong lengths: a 14-byte record for a 16-byte model and the reverse.
    EXPECT_FALSE(decode_record(little, *parse_hex("505f18411e310b5e000000000000")));
    EXPECT_FALSE(decode_record(big, *parse_hex("5f504118311e5e0b0000000000000000")));
    EXPECT_FALSE(decode_record(little, Bytes{}));
    // Month 0 (v = 0x0231: month bits 0), month 15, day 0, 30 February, hour 31, minute 63.
    EXPECT_FALSE(decode_record(little, *parse_hex("5f50411831025e0b0000000000000000")));
    EXPECT_FALSE(decode_record(little, *parse_hex("5f504118313e5e0b0000000000000000")));
    EXPECT_FALSE(decode_record(little, *parse_hex("5f504118111c5e0b0000000000000000")));
    EXPECT_FALSE(decode_record(little, *parse_hex("5f504118cb0b5e0b0000000000000000")));
    EXPECT_FALSE(decode_record(little, *parse_hex("5f5041183f1e5e0b0000000000000000")));
    EXPECT_FALSE(decode_record(little, *parse_hex("5f504118311efe0f0000000000000000")));
    // 7377t1: values outside the cuff's range are refused (systolic 25 + 0x10 = 41).
    EXPECT_FALSE(decode_record(*find_model("hem-7377t1"), *parse_hex("10504118311e5e0b0000000000000100")));
}

TEST(OmronRecord, Model7377NamesItsUser)
{
    const Model& model = *find_model("hem-7377t1");
    auto one = decode_record(model, *parse_hex("5f504118311e5e0b0000000000010000"));
    auto two = decode_record(model, *parse_hex("5f504118311e5e0b0000000000ff0000"));
    ASSERT_TRUE(one && one->has_value() && two && two->has_value());
    EXPECT_EQ((*one)->user, 1);
    EXPECT_EQ((*two)->user, 2);
}

TEST(OmronRecord, LocalSecondsOrderRecords)
{
    // 2024-07-17 17:45:30 as seconds of a clock without zone: 1721238330 (date -u -d ... +%s).
    EXPECT_EQ(local_seconds({2024, 7, 17, 17, 45, 30}), 1721238330);
}

TEST(OmronModels, EveryModelOfTheSpecIsThere)
{
    for (const char* name : {"hem-7150t", "hem-7155t", "hem-7322t", "hem-7342t", "hem-7361t", "hem-7530t",
                             "hem-7600t", "hem-6232t", "hem-7380t1", "hem-7377t1"}) {
        EXPECT_NE(find_model(name), nullptr) << name;
    }
    EXPECT_NE(find_model("HEM-7155T"), nullptr);
    EXPECT_EQ(find_model("hem-7196t1"), nullptr);
    EXPECT_EQ(find_model("hem-7322t")->users[1].start, 0x0824);
    EXPECT_EQ(find_model("hem-7155t")->users[1].start, 0x0458);
}

}  // namespace
}  // namespace ble2garmin::modules::omron
