#include "decoder.hpp"

namespace ble2garmin::modules::mi_scale {
namespace {

std::uint16_t le16(const Bytes& b, std::size_t at)
{
    return static_cast<std::uint16_t>(b[at] | b[at + 1] << 8);
}

// Display value → kg. kg frames count 0.005 kg per LSB (raw / 200); lbs and jin frames count
// 0.01 unit per LSB (raw / 100), converted with the exact pound (0.45359237 kg) and jin (0.5 kg).
double to_kg(Unit unit, std::uint16_t raw)
{
    switch (unit) {
        case Unit::lbs:
            return raw / 100.0 * 0.45359237;
        case Unit::jin:
            return raw / 100.0 * 0.5;
        case Unit::kg:
            break;
    }
    return raw / 200.0;
}

ScaleClock read_clock(const Bytes& b, std::size_t at)
{
    return {le16(b, at), b[at + 2], b[at + 3], b[at + 4], b[at + 5], b[at + 6]};
}

}  // namespace

std::int64_t recorded_weight_tenths(Unit unit, std::uint16_t raw)
{
    if (unit == Unit::lbs) {
        // One step is 0.01 lb = 4.5359237 g = 45,359,237 units of 1e-7 g; 100 g is 1e9 units.
        constexpr std::int64_t units_per_step = 45'359'237;
        constexpr std::int64_t units_per_tenth_kg = 1'000'000'000;
        return (raw * units_per_step + units_per_tenth_kg / 2) / units_per_tenth_kg;
    }
    // kg: raw / 200 kg; jin: raw / 100 jin × 0.5 kg — both 5 g per step.
    constexpr std::int64_t grams_per_step = 5;
    constexpr std::int64_t grams_per_tenth_kg = 100;
    return (raw * grams_per_step + grams_per_tenth_kg / 2) / grams_per_tenth_kg;
}

double recorded_weight_kg(const Frame& frame)
{
    return static_cast<double>(recorded_weight_tenths(frame.unit, frame.weight_raw)) / 10;
}

const char* unit_name(Unit unit)
{
    switch (unit) {
        case Unit::lbs:
            return "lbs";
        case Unit::jin:
            return "jin";
        case Unit::kg:
            break;
    }
    return "kg";
}

// Mi Body Composition Scale 2 (0x181B), 13 bytes:
//   0     control 0: bit0 lbs · bit1 always set · bit2 object mode
//   1     control 1: bit1 impedance present · bit2 always set · bit5 stabilized · bit6 jin ·
//                    bit7 load removed
//   2–3   year, uint16 LE      4 month   5 day   6 hour   7 minute   8 second (scale clock)
//   9–10  impedance Ω, uint16 LE (0 when absent)
//   11–12 weight, uint16 LE (kg: 0.005 kg per LSB; lbs/jin: 0.01 unit per LSB)
Result<Frame> decode_scale2(const Bytes& payload)
{
    if (payload.size() != 13) {
        return make_error("Mi Scale 2 payload must be 13 bytes, got " + std::to_string(payload.size()));
    }
    const std::uint8_t c0 = payload[0];
    const std::uint8_t c1 = payload[1];
    Frame frame;
    frame.unit = (c0 & 0x01) != 0 ? Unit::lbs : (c1 & 0x40) != 0 ? Unit::jin : Unit::kg;
    frame.object_mode = (c0 & 0x04) != 0;
    frame.impedance_present = (c1 & 0x02) != 0;
    frame.stabilized = (c1 & 0x20) != 0;
    frame.load_removed = (c1 & 0x80) != 0;
    frame.clock = read_clock(payload, 2);
    frame.impedance_raw = le16(payload, 9);
    frame.weight_raw = le16(payload, 11);
    frame.weight_kg = to_kg(frame.unit, frame.weight_raw);
    if (frame.impedance_present && frame.impedance_raw > 0 && frame.impedance_raw < 3000) {
        frame.impedance_ohm = frame.impedance_raw;
    }
    return frame;
}

// Mi Smart Scale v1 (0x181D), 10 bytes:
//   0     control: bit0 lbs · bit1 always set · bit4 jin · bit5 stabilized · bit6 object mode ·
//                  bit7 load removed
//   1–2   weight, uint16 LE (kg: 0.005 kg per LSB; lbs/jin: 0.01 unit per LSB)
//   3–4   year, uint16 LE      5 month   6 day   7 hour   8 minute   9 second
Result<Frame> decode_scale1(const Bytes& payload)
{
    if (payload.size() != 10) {
        return make_error("Mi Scale v1 payload must be 10 bytes, got " + std::to_string(payload.size()));
    }
    const std::uint8_t c0 = payload[0];
    Frame frame;
    frame.unit = (c0 & 0x01) != 0 ? Unit::lbs : (c0 & 0x10) != 0 ? Unit::jin : Unit::kg;
    frame.stabilized = (c0 & 0x20) != 0;
    frame.object_mode = (c0 & 0x40) != 0;
    frame.load_removed = (c0 & 0x80) != 0;
    frame.weight_raw = le16(payload, 1);
    frame.weight_kg = to_kg(frame.unit, frame.weight_raw);
    frame.clock = read_clock(payload, 3);
    return frame;
}

}  // namespace ble2garmin::modules::mi_scale
