#include "fit/encoder.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "fit/crc.hpp"
#include "util/hex.hpp"

namespace ble2garmin::fit {
namespace {

// Hex digits of `bytes` bytes.
constexpr std::size_t hex_digits(std::size_t bytes)
{
    return 2 * bytes;
}

// The records of a finished file: everything between the header and the file CRC.
std::string records_hex(const Bytes& file)
{
    const std::size_t header = file.at(0);
    return to_hex(Bytes(file.begin() + static_cast<std::ptrdiff_t>(header), file.end() - 2));
}

// The records written by `encoder` so far.
std::string records_hex(Encoder&& encoder)
{
    return records_hex(std::move(encoder).finish());
}

TEST(FitEncoder, EmptyFileWithA14ByteHeader)
{
    // 0e size, 10 protocol 1.0, e152 profile 21217, 00000000 data size, ".FIT", 0xD375 header CRC; the
    // file CRC over a header that ends in its own CRC is 0. CRCs computed outside this code base.
    EXPECT_EQ(to_hex(Encoder{}.finish()), "0e10e152000000002e464954d3750000");
}

TEST(FitEncoder, EmptyFileWithTheLegacy12ByteHeader)
{
    const FileHeaderOptions legacy{HeaderSize::legacy, k_protocol_version_1_0, 108};
    EXPECT_EQ(to_hex(Encoder{legacy}.finish()), "0c106c00000000002e46495459c3");
}

TEST(FitEncoder, HeaderCarriesDataSizeAndBothCrcsCheck)
{
    Encoder encoder;
    ASSERT_TRUE(encoder.define(0, {k_mesg_file_id, {{0, BaseType::enumeration}}}).ok());
    ASSERT_TRUE(encoder.write(0, Message{}.set(0, k_file_weight)).ok());
    const Bytes file = std::move(encoder).finish();
    // definition 40 00 00 0000 01 000100 (9 bytes) + data 00 09 (2 bytes) = 11 = 0x0b.
    EXPECT_EQ(to_hex(Bytes(file.begin(), file.begin() + 12)), "0e10e1520b0000002e464954");
    EXPECT_EQ(records_hex(file), "4000000000010001000009");
    ASSERT_EQ(file.size(), 14u + 11u + 2u);
    EXPECT_EQ(crc16(std::span(file).first(14)), 0);  // header CRC property
    EXPECT_EQ(crc16(file), 0);                       // file CRC property
}

TEST(FitEncoder, DefinitionMessageLayout)
{
    Encoder encoder;
    ASSERT_TRUE(encoder
                    .define(5, {k_mesg_record,
                                {{k_field_timestamp, BaseType::uint32},
                                 {3, BaseType::uint8},
                                 {0, BaseType::sint32},
                                 {57, BaseType::uint32, 3}}})
                    .ok());
    // 0x45 = definition of local 5; reserved; little-endian; global 20; 4 fields (number, bytes, type).
    EXPECT_EQ(records_hex(std::move(encoder)), "450000140004fd0486030102000485390c86");
}

TEST(FitEncoder, DataMessageInDefinitionOrderLittleEndian)
{
    Encoder encoder;
    ASSERT_TRUE(encoder
                    .define(2, {k_mesg_record,
                                {{k_field_timestamp, BaseType::uint32},
                                 {0, BaseType::sint32},
                                 {7, BaseType::uint16},
                                 {3, BaseType::uint8}}})
                    .ok());
    // Values set out of order; the message follows the definition.
    ASSERT_TRUE(
        encoder.write(2, Message{}.set(3, 150).set(7, 0x1234).set(0, -2).set(k_field_timestamp, 0x40F83FAEu))
            .ok());
    EXPECT_EQ(records_hex(std::move(encoder)),
              "420000140004fd0486000485070284030102"
              "02ae3ff840feffffff341296");
}

TEST(FitEncoder, AbsentFieldsAreTheInvalidValueOfTheirBaseType)
{
    // fit.md §1.8, one field of every base type (64-bit ones need protocol 2.0).
    Encoder encoder({HeaderSize::standard, k_protocol_version_2_0, k_profile_version});
    MessageDefinition definition{0xFF00, {}};
    const BaseType types[] = {BaseType::enumeration, BaseType::sint8,  BaseType::uint8,   BaseType::sint16,
                              BaseType::uint16,      BaseType::sint32, BaseType::uint32,  BaseType::float32,
                              BaseType::float64,     BaseType::uint8z, BaseType::uint16z, BaseType::uint32z,
                              BaseType::byte,        BaseType::sint64, BaseType::uint64,  BaseType::uint64z};
    std::uint8_t number = 0;
    for (const BaseType type : types) {
        definition.fields.push_back({number++, type});
    }
    definition.fields.push_back({number, BaseType::string, 4});
    ASSERT_TRUE(encoder.define(0, definition).ok());
    const std::size_t definition_bytes = 6 + 3 * definition.fields.size();
    ASSERT_TRUE(encoder.write(0, Message{}).ok());
    const std::string records = records_hex(std::move(encoder));
    EXPECT_EQ(records.substr(hex_digits(definition_bytes)),
              "00"                // data header, local 0
              "ff"                // enum
              "7f"                // sint8
              "ff"                // uint8
              "ff7f"              // sint16
              "ffff"              // uint16
              "ffffff7f"          // sint32
              "ffffffff"          // uint32
              "ffffffff"          // float32
              "ffffffffffffffff"  // float64
              "00"                // uint8z
              "0000"              // uint16z
              "00000000"          // uint32z
              "ff"                // byte
              "ffffffffffffff7f"  // sint64
              "ffffffffffffffff"  // uint64
              "0000000000000000"  // uint64z
              "00000000");        // string[4]
}

TEST(FitEncoder, ScaledValuesAreRoundedToNearest)
{
    Encoder encoder;
    ASSERT_TRUE(encoder
                    .define(0, {k_mesg_weight_scale,
                                {{0, BaseType::uint16}, {1, BaseType::sint16}, {2, BaseType::uint16}}})
                    .ok());
    // 70.1 × 100 = 7009.999… in binary: truncation would store 7009 (0x1B61); rounding stores 7010.
    // -1.5 rounds away from zero to -2; altitude-style offset: (100 + 500) × 5 = 3000.
    ASSERT_TRUE(
        encoder
            .write(0, Message{}.set_scaled(0, 70.1, 100).set_scaled(1, -1.5, 1).set_scaled(2, 100.0, 5, 500))
            .ok());
    EXPECT_EQ(records_hex(std::move(encoder)).substr(hex_digits(15)),
              "00"      // data header
              "621b"    // 7010
              "feff"    // -2
              "b80b");  // 3000
}

TEST(FitEncoder, FloatsStringsAndArrays)
{
    Encoder encoder;
    ASSERT_TRUE(encoder
                    .define(1, {0xFF01,
                                {{0, BaseType::float32},
                                 {1, BaseType::float64},
                                 {2, BaseType::string, 6},
                                 {3, BaseType::uint16, 3},
                                 {4, BaseType::byte, 2}}})
                    .ok());
    ASSERT_TRUE(encoder
                    .write(1, Message{}
                                  .set(0, 1.5)
                                  .set(1, -2.25)
                                  .set(2, std::string("Row"))
                                  .set(3, IntegerArray{1, 2})
                                  .set(4, IntegerArray{0xFF, 0x01}))
                    .ok());
    EXPECT_EQ(records_hex(std::move(encoder)).substr(hex_digits(21)),
              "01"                // data header
              "0000c03f"          // 1.5f
              "00000000000002c0"  // -2.25
              "526f77000000"      // "Row", NUL-padded to 6
              "01000200ffff"      // 1, 2, invalid
              "ff01");            // 0xFF, 0x01
}

TEST(FitEncoder, RedefiningALocalNumberReplacesItsDefinition)
{
    Encoder encoder;
    ASSERT_TRUE(encoder.define(0, {k_mesg_file_id, {{0, BaseType::enumeration}}}).ok());
    ASSERT_TRUE(encoder.define(0, {k_mesg_file_creator, {{0, BaseType::uint16}}}).ok());
    EXPECT_FALSE(encoder.write(0, Message{}.set(1, 1)).ok());  // field 1 belongs to neither
    ASSERT_TRUE(encoder.write(0, Message{}.set(0, 300)).ok());
    EXPECT_EQ(records_hex(std::move(encoder)),
              "400000000001000100"
              "400000310001000284"
              "002c01");
}

TEST(FitEncoder, RejectsBadDefinitionsAndWritesNothing)
{
    Encoder encoder;
    EXPECT_FALSE(encoder.define(16, {k_mesg_file_id, {{0, BaseType::enumeration}}}).ok());
    EXPECT_FALSE(
        encoder.define(0, {k_mesg_file_id, {{0, BaseType::enumeration}, {0, BaseType::uint8}}}).ok());
    EXPECT_FALSE(encoder.define(0, {k_mesg_file_id, {{0, BaseType::uint8, 0}}}).ok());
    EXPECT_FALSE(encoder.define(0, {k_mesg_file_id, {{0, BaseType::uint32, 64}}}).ok());  // 256 bytes
    const auto needs_v2 = encoder.define(0, {k_mesg_file_id, {{0, BaseType::uint64}}});
    ASSERT_FALSE(needs_v2.ok());
    EXPECT_NE(needs_v2.error().message.find("protocol version 2.0"), std::string::npos);
    EXPECT_EQ(records_hex(std::move(encoder)), "");
}

TEST(FitEncoder, RejectsValuesThatDoNotSuitTheirFieldAndWritesNothing)
{
    Encoder encoder;
    ASSERT_TRUE(encoder
                    .define(0, {k_mesg_weight_scale,
                                {{0, BaseType::uint16},
                                 {1, BaseType::uint8z},
                                 {2, BaseType::sint8},
                                 {3, BaseType::string, 4},
                                 {4, BaseType::float32},
                                 {5, BaseType::uint16, 2},
                                 {6, BaseType::byte}}})
                    .ok());
    const std::string definition = records_hex(Encoder{encoder});

    EXPECT_FALSE(encoder.write(1, Message{}).ok());                              // no definition
    EXPECT_FALSE(encoder.write(16, Message{}).ok());                             // no such local
    EXPECT_FALSE(encoder.write(0, Message{}.set(9, 1)).ok());                    // field not defined
    EXPECT_FALSE(encoder.write(0, Message{}.set(0, 0xFFFF)).ok());               // the invalid value
    EXPECT_FALSE(encoder.write(0, Message{}.set(0, 0x10000)).ok());              // too large
    EXPECT_FALSE(encoder.write(0, Message{}.set(0, -1)).ok());                   // negative
    EXPECT_FALSE(encoder.write(0, Message{}.set_scaled(0, -0.01, 100)).ok());    // negative after scaling
    EXPECT_FALSE(encoder.write(0, Message{}.set_scaled(0, 655.355, 100)).ok());  // rounds to 65536
    EXPECT_FALSE(encoder.write(0, Message{}.set_scaled(0, std::nan(""), 100)).ok());
    EXPECT_FALSE(encoder.write(0, Message{}.set(0, 1.0)).ok());  // double, unscaled
    EXPECT_FALSE(encoder.write(0, Message{}.set(1, 0)).ok());    // uint8z: 0 is invalid
    EXPECT_FALSE(encoder.write(0, Message{}.set(2, 127)).ok());  // sint8: 0x7F is invalid
    EXPECT_FALSE(encoder.write(0, Message{}.set(2, -129)).ok());
    EXPECT_FALSE(encoder.write(0, Message{}.set(3, std::string("four"))).ok());  // no room for the NUL
    EXPECT_FALSE(encoder.write(0, Message{}.set(3, std::string("a\0b", 3))).ok());
    EXPECT_FALSE(encoder.write(0, Message{}.set(3, 1)).ok());     // integer in a string
    EXPECT_FALSE(encoder.write(0, Message{}.set(4, 1e39)).ok());  // beyond float32
    EXPECT_FALSE(encoder.write(0, Message{}.set(4, std::string("x"))).ok());
    EXPECT_FALSE(encoder.write(0, Message{}.set(5, IntegerArray{1, 2, 3})).ok());  // too many elements
    EXPECT_FALSE(encoder.write(0, Message{}.set(5, 1)).ok());                      // scalar for an array
    EXPECT_FALSE(encoder.write(0, Message{}.set(6, 0xFF)).ok());                   // byte: all 0xFF

    const auto error = encoder.write(0, Message{}.set(0, 70000));
    ASSERT_FALSE(error.ok());
    EXPECT_EQ(error.error().message, "message 30: field 0 (uint16): value 70000 is outside 0..65534");

    // Boundaries that are valid.
    EXPECT_TRUE(
        encoder.write(0, Message{}.set(0, 0xFFFE).set(1, 0xFF).set(2, -128).set(3, std::string("abc"))).ok());
    EXPECT_EQ(records_hex(std::move(encoder)), definition +
                                                   "00feffff80616263"
                                                   "00"
                                                   "ffffffff"
                                                   "ffffffff"
                                                   "ff");
}

TEST(FitEncoder, OptionalValuesLeaveTheFieldInvalidWhenAbsent)
{
    Encoder encoder;
    ASSERT_TRUE(encoder
                    .define(0, {k_mesg_weight_scale,
                                {{0, BaseType::uint16}, {1, BaseType::uint16}, {8, BaseType::uint8}}})
                    .ok());
    const std::optional<double> absent;
    const std::optional<int> physique = 7;
    ASSERT_TRUE(encoder
                    .write(0, Message{}
                                  .set_scaled(0, absent, 100)
                                  .set_scaled(1, std::optional<double>(10.76), 100)
                                  .set(8, physique))
                    .ok());
    EXPECT_EQ(records_hex(std::move(encoder)).substr(hex_digits(15)),
              "00"
              "ffff"
              "3404"
              "07");
}

}  // namespace
}  // namespace ble2garmin::fit
