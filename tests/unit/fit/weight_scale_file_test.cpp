#include "fit/weight_scale_file.hpp"

#include <string>

#include <gtest/gtest.h>

#include "body/composition.hpp"
#include "fit/crc.hpp"
#include "util/hex.hpp"
#include "util/time.hpp"

namespace ble2garmin::fit {
namespace {

// shared/spec/fit.md §4.2, vector B: python-garminconnect's file for 2024-01-15T07:30:00Z, weight
// 70.3, fat 18.5, hydration 55.2, bone 3.1, muscle 30.2, basal_met 1600, physique 5, metabolic age 35,
// visceral rating 7, bmi 22.4 — copied verbatim.
constexpr const char* k_vector_b =
    "0c106c00c60000002e464954"
    "40000000000603048c040486010284020284050284000100"
    "0000000000f8920740ffffffffffff09"
    "410000310002000284010102"
    "01ffffff"
    "42000017000cfd048603048c0704860804860202840402840502840a02840001020101020601020b0102"
    "02f892074000000000ffffffffffffffffffffffffffffffffffffffff"
    "4300001e000dfd04860002840102840202840302840402840502840702840902840801020a01020b01020d0284"
    "03f8920740761b3a079015ffff3601cc0b0019ffff052307e000"
    "6c3d";

// shared/spec/fit.md §4.1, vector A: the same encoder for body-composition.md §8 vector 1 (male,
// 172 cm, 40 y, 55.2 kg, 508 Ω) at 2024-07-15T20:50:54Z — copied verbatim.
constexpr const char* k_vector_a =
    "0c106c00c60000002e46495440000000000603048c0404860102840202840502840001000000000000ae3ff840ffffffff"
    "ffff0941000031000200028401010201ffffff42000017000cfd048603048c0704860804860202840402840502840a0284"
    "0001020101020601020b010202ae3ff84000000000ffffffffffffffffffffffffffffffffffffffff4300001e000dfd04"
    "860002840102840202840302840402840502840702840902840801020a01020b01020d028403ae3ff84090153404e917ff"
    "ffff003e120513ffff071304ba003d3f";

// Upstream's header (12 bytes, protocol 1.0, profile 1.08) and file_id identity (manufacturer and
// serial invalid), for byte-exact comparisons with the vectors.
WeightScaleFileOptions upstream_options()
{
    WeightScaleFileOptions options;
    options.manufacturer.reset();
    options.header = {HeaderSize::legacy, k_protocol_version_1_0, 108};
    return options;
}

// upstream_options() with our default header: 14 bytes, header CRC, profile 21.217.
WeightScaleFileOptions upstream_identity_standard_header()
{
    WeightScaleFileOptions options;
    options.manufacturer.reset();
    return options;
}

WeightScaleEntry vector_b_entry()
{
    WeightScaleEntry entry;
    entry.timestamp = *utc_from_fields(2024, 1, 15, 7, 30, 0);
    entry.weight_kg = 70.3;
    entry.percent_fat = 18.5;
    entry.percent_hydration = 55.2;
    entry.bone_mass_kg = 3.1;
    entry.muscle_mass_kg = 30.2;
    entry.basal_met_kcal = 1600;
    entry.physique_rating = 5;
    entry.metabolic_age_years = 35;
    entry.visceral_fat_rating = 7;
    entry.bmi = 22.4;
    return entry;
}

// body-composition.md §8 vector 1 through the real body-composition engine, as the daemon does it.
WeightScaleEntry vector_1_entry()
{
    const auto composition = body::compose({Sex::male, 172, 40, 55.2, 508});
    EXPECT_TRUE(composition.ok());
    return make_weight_scale_entry(*composition, from_unix_seconds(1'721'076'654));
}

std::string encode_hex(const WeightScaleEntry& entry, const WeightScaleFileOptions& options)
{
    const auto file = encode_weight_scale_file(entry, options);
    EXPECT_TRUE(file.ok()) << file.error().message;
    return file.ok() ? to_hex(*file) : std::string{};
}

// The 12-byte header of a vector replaced by our 14-byte one, and its file CRC by `file_crc`.
std::string with_standard_header(const std::string& vector, const std::string& file_crc)
{
    // 0e size 14 | 10 protocol 1.0 | e152 profile 21217 | c6000000 198 data bytes (unchanged) | ".FIT" |
    // 5f0f header CRC. Both CRCs were computed with a bitwise CRC-16/ARC outside this code base.
    return "0e10e152c60000002e4649545f0f" + vector.substr(24, vector.size() - 24 - 4) + file_crc;
}

// The hex of the weight_scale data message: the 26 bytes before the file CRC.
std::string weight_scale_data(const std::string& file_hex)
{
    constexpr std::size_t k_data_digits = 2 * 26;
    constexpr std::size_t k_crc_digits = 2 * 2;
    return file_hex.substr(file_hex.size() - k_crc_digits - k_data_digits, k_data_digits);
}

TEST(FitWeightScaleFile, VectorBByteForByteWithUpstreamHeader)
{
    // Vector B's values have no float error at their scale, so rounding and truncation agree:
    // with upstream's header and identity the file is identical, all 212 bytes.
    EXPECT_EQ(encode_hex(vector_b_entry(), upstream_options()), k_vector_b);
}

TEST(FitWeightScaleFile, VectorBWithOurHeaderDiffersOnlyInHeaderAndCrc)
{
    // Expected: vector B with bytes 0..11 replaced by the 14-byte header above and the file CRC
    // 0x3D6C replaced by 0x300E; the 198 record bytes are unchanged.
    const std::string expected = with_standard_header(k_vector_b, "0e30");
    ASSERT_EQ(expected.size(), 2u * 214);
    EXPECT_EQ(encode_hex(vector_b_entry(), upstream_identity_standard_header()), expected);
}

TEST(FitWeightScaleFile, VectorAExceptWhereRoundingDiffersFromTruncation)
{
    // Vector A stores int(value × scale) of the engine's unrounded outputs. Rounding changes three
    // values of the weight_scale data message, and so the CRC (hand-edited copy of the vector):
    //   percent_hydration 61.217411… × 100 = 6121.74 -> 6122 (e917 -> ea17)
    //   muscle_mass       46.705738… × 100 = 4670.57 -> 4671 (3e12 -> 3f12)
    //   bmi               18.658734… × 10  =  186.59 ->  187 (ba00 -> bb00)
    //   file CRC 0x3F3D -> 0xA3C8 (3d3f -> c8a3)
    // Unchanged: weight 5520, fat 1076 (1076.18), bone 255 (255.38), basal_met 4869 (4869.0048),
    // physique 7, metabolic age 19 (19.29), visceral rating 4 (4.39), timestamp 0x40F83FAE.
    std::string expected = k_vector_a;
    const std::string upstream_data = "03ae3ff84090153404e917ffffff003e120513ffff071304ba00";
    const std::string rounded_data = "03ae3ff84090153404ea17ffffff003f120513ffff071304bb00";
    const auto at = expected.find(upstream_data);
    ASSERT_NE(at, std::string::npos);
    expected.replace(at, upstream_data.size(), rounded_data);
    expected.replace(expected.size() - 4, 4, "c8a3");
    EXPECT_EQ(encode_hex(vector_1_entry(), upstream_options()), expected);

    // With our header: the same records, header as above, file CRC 0xAEAA.
    EXPECT_EQ(encode_hex(vector_1_entry(), upstream_identity_standard_header()),
              with_standard_header(expected, "aaae"));
}

TEST(FitWeightScaleFile, DefaultFileIdIsDevelopmentManufacturerAndMeasurementTime)
{
    // Defaults: manufacturer 255 (development) and time_created = the measurement time; here with a
    // serial number. Vector B's records with only the file_id data message changed (hand-edited):
    //   serial 00000000 -> 78563412 (0x12345678), manufacturer ffff -> ff00 (255);
    //   file CRC 0xB3CE.
    WeightScaleFileOptions options;
    options.serial_number = 0x1234'5678;
    std::string expected = with_standard_header(k_vector_b, "ceb3");
    const std::string upstream_file_id = "0000000000f8920740ffffffffffff09";
    const auto at = expected.find(upstream_file_id);
    ASSERT_NE(at, std::string::npos);
    expected.replace(at, upstream_file_id.size(), "0078563412f8920740ff00ffffffff09");
    EXPECT_EQ(encode_hex(vector_b_entry(), options), expected);
}

TEST(FitWeightScaleFile, TimeCreatedCanDifferFromTheMeasurement)
{
    WeightScaleFileOptions options;
    options.time_created = *utc_from_fields(2024, 1, 15, 7, 30, 1);
    const auto file = encode_weight_scale_file(vector_b_entry(), options);
    ASSERT_TRUE(file.ok());
    const std::string hex = to_hex(*file);
    // file_id data: serial invalid, time_created 0x400792F9, then manufacturer 255.
    EXPECT_NE(hex.find("0000000000f9920740ff00"), std::string::npos);
    // device_info and weight_scale keep the measurement time.
    EXPECT_NE(hex.find("02f8920740"), std::string::npos);
    EXPECT_NE(hex.find("03f8920740"), std::string::npos);
    EXPECT_EQ(crc16(*file), 0);
}

TEST(FitWeightScaleFile, RoundsToNearest)
{
    WeightScaleEntry entry;
    entry.timestamp = *utc_from_fields(2024, 1, 15, 7, 30, 0);
    entry.weight_kg = 70.1;              // 7009.999… -> 7010 (upstream: 7009)
    entry.percent_fat = 0.29;            // 28.999… -> 29 (upstream: 28)
    entry.basal_met_kcal = 1217.2512;    // × 4 = 4869.0048 -> 4869
    entry.metabolic_age_years = 19.5;    // -> 20 (half away from zero)
    entry.visceral_fat_rating = 4.3904;  // -> 4
    entry.bmi = 18.66;                   // × 10 = 186.6 -> 187 (upstream: 186)
    const std::string hex = encode_hex(entry, upstream_options());
    // weight_scale data: timestamp, weight, fat, hydration–muscle invalid, basal_met, active_met
    // invalid, physique invalid, metabolic age, visceral, bmi.
    EXPECT_EQ(weight_scale_data(hex),
              "03f8920740"        // header, timestamp
              "621b"              // weight 7010
              "1d00"              // percent_fat 29
              "ffffffffffffffff"  // hydration, visceral_fat_mass, bone, muscle: invalid
              "0513"              // basal_met 4869
              "ffff"              // active_met: invalid
              "ff"                // physique_rating: invalid
              "14"                // metabolic_age 20
              "04"                // visceral_fat_rating 4
              "bb00");            // bmi 187
}

TEST(FitWeightScaleFile, WeightOnlyCompositionLeavesImpedanceFieldsInvalid)
{
    const auto composition = body::compose({Sex::male, 172, 40, 55.2, std::nullopt});
    ASSERT_TRUE(composition.ok());
    const WeightScaleEntry entry = make_weight_scale_entry(*composition, from_unix_seconds(1'721'076'654));
    EXPECT_FALSE(entry.percent_fat || entry.percent_hydration || entry.bone_mass_kg || entry.muscle_mass_kg ||
                 entry.metabolic_age_years || entry.physique_rating);
    const std::string hex = encode_hex(entry, upstream_options());
    // Weight, basal_met, visceral rating and BMI are weight-based, so present; fat, hydration,
    // visceral mass, bone, muscle, active_met, physique and metabolic age are invalid.
    EXPECT_EQ(weight_scale_data(hex),
              "03ae3ff840"  // header, timestamp
              "9015"        // weight 5520
              "ffff"        // percent_fat
              "ffff"        // percent_hydration
              "ffff"        // visceral_fat_mass
              "ffff"        // bone_mass
              "ffff"        // muscle_mass
              "0513"        // basal_met 4869
              "ffff"        // active_met
              "ff"          // physique_rating
              "ff"          // metabolic_age
              "04"          // visceral_fat_rating 4
              "bb00");      // bmi 187
}

TEST(FitWeightScaleFile, MakeEntryCopiesTheUploadedFieldsAtFullPrecision)
{
    const WeightScaleEntry entry = vector_1_entry();
    EXPECT_EQ(entry.timestamp, from_unix_seconds(1'721'076'654));
    EXPECT_DOUBLE_EQ(entry.weight_kg, 55.2);
    EXPECT_NEAR(*entry.bmi, 18.658734451054627, 1e-12);
    EXPECT_NEAR(*entry.percent_fat, 10.761790840579721, 1e-12);
    EXPECT_NEAR(*entry.percent_hydration, 61.21741148336231, 1e-12);
    EXPECT_NEAR(*entry.bone_mass_kg, 2.553752783776, 1e-12);
    EXPECT_NEAR(*entry.muscle_mass_kg, 46.705738672224, 1e-12);
    EXPECT_NEAR(*entry.basal_met_kcal, 1217.2512, 1e-9);
    EXPECT_NEAR(*entry.metabolic_age_years, 19.29382, 1e-9);
    EXPECT_NEAR(*entry.visceral_fat_rating, 4.390400000000007, 1e-12);
    EXPECT_EQ(entry.physique_rating, 7);
}

TEST(FitWeightScaleFile, RejectsValuesThatDoNotFit)
{
    WeightScaleEntry entry = vector_b_entry();
    entry.weight_kg = 0;
    EXPECT_FALSE(encode_weight_scale_file(entry).ok());
    entry.weight_kg = 655.34;  // 0xFFFE means "calculating"
    EXPECT_FALSE(encode_weight_scale_file(entry).ok());
    entry.weight_kg = 655.33;
    EXPECT_TRUE(encode_weight_scale_file(entry).ok());

    entry = vector_b_entry();
    entry.percent_fat = -1;
    EXPECT_FALSE(encode_weight_scale_file(entry).ok());
    entry = vector_b_entry();
    entry.metabolic_age_years = 300;
    EXPECT_FALSE(encode_weight_scale_file(entry).ok());
    entry = vector_b_entry();
    entry.timestamp = from_unix_seconds(0);
    const auto too_early = encode_weight_scale_file(entry);
    ASSERT_FALSE(too_early.ok());
    EXPECT_NE(too_early.error().message.find("measurement"), std::string::npos);

    WeightScaleFileOptions options;
    options.serial_number = 0;  // uint32z: 0 is the invalid value
    EXPECT_FALSE(encode_weight_scale_file(vector_b_entry(), options).ok());
}

}  // namespace
}  // namespace ble2garmin::fit
