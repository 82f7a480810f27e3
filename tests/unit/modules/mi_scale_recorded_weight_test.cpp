// The recorded weight of every raw value the scale can send (issue: 82.35 kg must be 82.4, as
// export2garmin writes it). The reference is independent of the code under test: it writes the
// scale's exact value as decimal digits and rounds half-up on the digits, like a person would.

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "modules/mi_scale/decoder.hpp"
#include "store/number_format.hpp"

namespace ble2garmin::modules::mi_scale {
namespace {

// `digits` × 10^-`scale` rounded half-up to one decimal, as text ("82350", 3 → "82.4").
std::string round_decimal_text_half_up(std::string digits, std::size_t scale)
{
    while (digits.size() <= scale) {
        digits.insert(digits.begin(), '0');
    }
    const std::size_t kept = digits.size() - scale + 1;  // integer digits and the tenths digit
    const bool round_up = digits[kept] >= '5';
    digits.resize(kept);
    if (round_up) {
        std::size_t i = digits.size();
        while (i > 0 && digits[i - 1] == '9') {
            digits[--i] = '0';
        }
        if (i == 0) {
            digits.insert(digits.begin(), '1');
        } else {
            ++digits[i - 1];
        }
    }
    digits.insert(digits.end() - 1, '.');
    // "00.0" → "0.0", "082.4" → "82.4"
    while (digits.size() > 3 && digits[0] == '0') {
        digits.erase(digits.begin());
    }
    return digits;
}

// kg: raw / 200 kg = raw × 0.005 kg exactly.
std::string exact_kg_reference(std::uint32_t raw)
{
    return round_decimal_text_half_up(std::to_string(raw * 5), 3);
}

// jin: raw / 100 jin × 0.5 kg/jin = raw × 50 × 10^-4 kg.
std::string exact_jin_reference(std::uint32_t raw)
{
    return round_decimal_text_half_up(std::to_string(static_cast<std::uint64_t>(raw) * 50), 4);
}

// lbs: raw / 100 lb × 0.45359237 kg = raw × 45359237 × 10^-10 kg.
std::string exact_lbs_reference(std::uint32_t raw)
{
    return round_decimal_text_half_up(std::to_string(static_cast<std::uint64_t>(raw) * 45359237), 10);
}

TEST(MiScaleRecordedWeight, EveryRawValueMatchesTheExactDecimalReference)
{
    int differences = 0;
    for (std::uint32_t raw = 0; raw <= 0xFFFF; ++raw) {
        const auto value = static_cast<std::uint16_t>(raw);
        const struct {
            Unit unit;
            std::string expected;
        } cases[] = {{Unit::kg, exact_kg_reference(raw)},
                     {Unit::jin, exact_jin_reference(raw)},
                     {Unit::lbs, exact_lbs_reference(raw)}};
        for (const auto& c : cases) {
            const auto got = store::format_tenths(recorded_weight_tenths(c.unit, value));
            if (got != c.expected && ++differences <= 10) {
                ADD_FAILURE() << unit_name(c.unit) << " raw " << raw << ": " << got << ", expected "
                              << c.expected;
            }
        }
    }
    EXPECT_EQ(differences, 0);
}

TEST(MiScaleRecordedWeight, TiesRoundUpAsExport2garminWrites)
{
    // 16470 × 5 g = 82.350 kg: a double holds 82.34999…, "%.1f" of it gives 82.3.
    EXPECT_EQ(recorded_weight_tenths(Unit::kg, 16470), 824);
    EXPECT_EQ(recorded_weight_tenths(Unit::kg, 16469), 823);  // 82.345
    EXPECT_EQ(recorded_weight_tenths(Unit::jin, 16470), 824);
    // 140.65 lb = 63.7977668… kg
    EXPECT_EQ(recorded_weight_tenths(Unit::lbs, 14065), 638);
}

TEST(MiScaleRecordedWeight, AFrameRecordsItsRoundedWeight)
{
    Frame frame;
    frame.unit = Unit::kg;
    frame.weight_raw = 12350;  // 61.75 kg
    EXPECT_DOUBLE_EQ(recorded_weight_kg(frame), 61.8);
}

}  // namespace
}  // namespace ble2garmin::modules::mi_scale
