#include "fit/crc.hpp"

#include <array>

namespace ble2garmin::fit {

namespace {

// CRC of each nibble value 0..15 (fit.md §1.3).
constexpr std::array<std::uint16_t, 16> k_nibble_table = {
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
};

constexpr std::uint16_t add_nibble(std::uint16_t crc, unsigned nibble)
{
    const std::uint16_t carried = k_nibble_table[crc & 0x0Fu];
    const auto shifted = static_cast<std::uint16_t>((crc >> 4) & 0x0FFFu);
    return static_cast<std::uint16_t>(shifted ^ carried ^ k_nibble_table[nibble & 0x0Fu]);
}

// The same CRC a byte at a time (an activity file has ~100 KB to check): the CRC is linear and
// reflected, so adding byte b to crc equals (crc >> 8) ^ T[(crc ^ b) & 0xFF], where T[i] is the
// nibble algorithm's CRC of the single byte i from 0.
constexpr std::array<std::uint16_t, 256> k_byte_table = [] {
    std::array<std::uint16_t, 256> table{};
    for (unsigned i = 0; i < 256; ++i) {
        const std::uint16_t low = add_nibble(0, i & 0x0Fu);  // low nibble first
        table[i] = add_nibble(low, i >> 4);
    }
    return table;
}();

}  // namespace

std::uint16_t crc16(std::span<const std::uint8_t> bytes, std::uint16_t crc)
{
    for (const std::uint8_t byte : bytes) {
        crc = static_cast<std::uint16_t>((crc >> 8) ^ k_byte_table[(crc ^ byte) & 0xFFu]);
    }
    return crc;
}

}  // namespace ble2garmin::fit
