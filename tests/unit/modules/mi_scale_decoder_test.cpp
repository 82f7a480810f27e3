// Golden vectors of shared/spec/device-mi-scale.md §8 (xiaomi-ble and Theengs test suites).

#include <gtest/gtest.h>

#include "modules/mi_scale/decoder.hpp"
#include "util/hex.hpp"

namespace ble2garmin::modules::mi_scale {
namespace {

struct Vector {
    const char* hex;
    Unit unit;
    double weight_kg;
    std::optional<int> impedance;
    bool stabilized;
    bool impedance_bit;
    bool removed;
    bool object;
    ScaleClock clock;
    bool final;
};

constexpr double k_pound = 0.45359237;

class MiScale2Vectors : public ::testing::TestWithParam<Vector> {};

TEST_P(MiScale2Vectors, DecodesAsSpecified)
{
    const Vector& v = GetParam();
    auto frame = decode_scale2(*parse_hex(v.hex));
    ASSERT_TRUE(frame.ok()) << frame.error().message;
    EXPECT_EQ(frame->unit, v.unit);
    EXPECT_NEAR(frame->weight_kg, v.weight_kg, 1e-9);
    EXPECT_EQ(frame->impedance_ohm, v.impedance);
    EXPECT_EQ(frame->stabilized, v.stabilized);
    EXPECT_EQ(frame->impedance_present, v.impedance_bit);
    EXPECT_EQ(frame->load_removed, v.removed);
    EXPECT_EQ(frame->object_mode, v.object);
    EXPECT_EQ(frame->clock.year, v.clock.year);
    EXPECT_EQ(frame->clock.month, v.clock.month);
    EXPECT_EQ(frame->clock.day, v.clock.day);
    EXPECT_EQ(frame->clock.hour, v.clock.hour);
    EXPECT_EQ(frame->clock.minute, v.clock.minute);
    EXPECT_EQ(frame->clock.second, v.clock.second);
    EXPECT_EQ(frame->is_final(), v.final);
}

constexpr ScaleClock k_1970{1970, 5, 4, 15, 2, 1};
constexpr ScaleClock k_2022{2022, 2, 14, 16, 41, 58};

INSTANTIATE_TEST_SUITE_P(
    Spec, MiScale2Vectors,
    ::testing::Values(
        Vector{"0226b20705040f0201ac018642", Unit::kg, 85.15, 428, true, true, false, false, k_1970, true},
        Vector{"0204b207010112101a0000a852",
               Unit::kg,
               105.8,
               std::nullopt,
               false,
               false,
               false,
               false,
               {1970, 1, 1, 18, 16, 26},
               false},
        Vector{"0282b20705040f020100000000", Unit::kg, 0, std::nullopt, false, true, true, false, k_1970,
               false},
        Vector{"0226e607020e10293af7019a38", Unit::kg, 72.45, 503, true, true, false, false, k_2022, true},
        Vector{"0224e607020e10293a00009a38", Unit::kg, 72.45, std::nullopt, true, false, false, false, k_2022,
               true},
        Vector{"0624e607020e10293a0000fc03", Unit::kg, 5.1, std::nullopt, true, false, false, true, k_2022,
               false},
        Vector{"0326e607020e10293af701f136", Unit::lbs, 140.65 * k_pound, 503, true, true, false, false,
               k_2022, true},
        Vector{"0724e607020e10293a0000ce04", Unit::lbs, 12.3 * k_pound, std::nullopt, true, false, false,
               true, k_2022, false},
        Vector{"02a6e607020e10293af7019a38", Unit::kg, 72.45, 503, true, true, true, false, k_2022, false},
        // export2garmin synthetic vectors (§8.1): 0x58ac = 22700 → 113.5 kg; 0x2a56 = 10838 → 108.38 lb.
        Vector{"0226e8070c0f0a1e00fc01ac58",
               Unit::kg,
               113.5,
               508,
               true,
               true,
               false,
               false,
               {2024, 12, 15, 10, 30, 0},
               true},
        Vector{"0326e8070c0f0a1e00fc01562a",
               Unit::lbs,
               108.38 * k_pound,
               508,
               true,
               true,
               false,
               false,
               {2024, 12, 15, 10, 30, 0},
               true},
        // jin (byte 1 bit 6), hand-made: 0x2ee0 = 12000 → 120.00 jin = 60 kg.
        Vector{"0266e8070c0f0a1e00fc01e02e",
               Unit::jin,
               60.0,
               508,
               true,
               true,
               false,
               false,
               {2024, 12, 15, 10, 30, 0},
               true}));

class MiScale1Vectors : public ::testing::TestWithParam<Vector> {};

TEST_P(MiScale1Vectors, DecodesAsSpecified)
{
    const Vector& v = GetParam();
    auto frame = decode_scale1(*parse_hex(v.hex));
    ASSERT_TRUE(frame.ok()) << frame.error().message;
    EXPECT_EQ(frame->unit, v.unit);
    EXPECT_NEAR(frame->weight_kg, v.weight_kg, 1e-9);
    EXPECT_FALSE(frame->impedance_ohm);
    EXPECT_EQ(frame->stabilized, v.stabilized);
    EXPECT_EQ(frame->load_removed, v.removed);
    EXPECT_EQ(frame->object_mode, v.object);
    EXPECT_EQ(frame->clock.year, v.clock.year);
    EXPECT_EQ(frame->clock.second, v.clock.second);
    EXPECT_EQ(frame->is_final(), v.final);
}

constexpr ScaleClock k_v1_2022{2022, 2, 14, 16, 41, 58};

INSTANTIATE_TEST_SUITE_P(Spec, MiScale1Vectors,
                         ::testing::Values(Vector{"229e43e507040b101301",
                                                  Unit::kg,
                                                  86.55,
                                                  std::nullopt,
                                                  true,
                                                  false,
                                                  false,
                                                  false,
                                                  {2021, 4, 11, 16, 19, 1},
                                                  true},
                                           Vector{"a22044b20701010a1a15",
                                                  Unit::kg,
                                                  87.2,
                                                  std::nullopt,
                                                  true,
                                                  false,
                                                  true,
                                                  false,
                                                  {1970, 1, 1, 10, 26, 21},
                                                  false},
                                           Vector{"821400e507040b101708",
                                                  Unit::kg,
                                                  0.1,
                                                  std::nullopt,
                                                  false,
                                                  false,
                                                  true,
                                                  false,
                                                  {2021, 4, 11, 16, 23, 8},
                                                  false},
                                           Vector{"223e30e607020e10293a", Unit::kg, 61.75, std::nullopt, true,
                                                  false, false, false, k_v1_2022, true},
                                           Vector{"627607e607020e10293a", Unit::kg, 9.55, std::nullopt, true,
                                                  false, false, true, k_v1_2022, false},
                                           Vector{"237233e607020e10293a", Unit::lbs, 131.7 * k_pound,
                                                  std::nullopt, true, false, false, false, k_v1_2022, true},
                                           Vector{"637607e607020e10293a", Unit::lbs, 19.1 * k_pound,
                                                  std::nullopt, true, false, false, true, k_v1_2022, false}));

TEST(MiScaleDecoder, RejectsWrongLengths)
{
    for (const char* hex : {"", "02", "0226b20705040f0201ac0186", "0226b20705040f0201ac01864200"}) {
        auto frame = decode_scale2(*parse_hex(hex));
        ASSERT_FALSE(frame.ok()) << hex;
        EXPECT_NE(frame.error().message.find("13 bytes"), std::string::npos);
    }
    EXPECT_FALSE(decode_scale1(*parse_hex("229e43e507040b1013")).ok());
    EXPECT_FALSE(decode_scale1(*parse_hex("0226b20705040f0201ac018642")).ok());
}

TEST(MiScaleDecoder, ImplausibleImpedanceIsNotAnImpedance)
{
    // Impedance bit set but 3000 Ω (0x0bb8): ESPHome's sanity rule, the formulas reject it too.
    auto frame = decode_scale2(*parse_hex("0226e607020e10293ab80b9a38"));
    ASSERT_TRUE(frame.ok());
    EXPECT_TRUE(frame->impedance_present);
    EXPECT_EQ(frame->impedance_raw, 3000);
    EXPECT_FALSE(frame->impedance_ohm);
}

}  // namespace
}  // namespace ble2garmin::modules::mi_scale
