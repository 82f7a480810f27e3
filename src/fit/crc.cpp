#include "fit/crc.hpp"

#include <array>

namespace ble2garmin::fit {

namespace {

// CRC of each nibble value 0..15 (fit.md §1.3).
constexpr std::array<std::uint16_t, 16> k_nibble_table = {
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
};

std::uint16_t add_nibble(std::uint16_t crc, unsigned nibble)
{
    const std::uint16_t carried = k_nibble_table[crc & 0x0Fu];
    const auto shifted = static_cast<std::uint16_t>((crc >> 4) & 0x0FFFu);
    return static_cast<std::uint16_t>(shifted ^ carried ^ k_nibble_table[nibble & 0x0Fu]);
}

}  // namespace

std::uint16_t crc16(std::span<const std::uint8_t> bytes, std::uint16_t crc)
{
    for (const std::uint8_t byte : bytes) {
        crc = add_nibble(crc, byte & 0x0Fu);  // low nibble first
        crc = add_nibble(crc, static_cast<unsigned>(byte >> 4));
    }
    return crc;
}

}  // namespace ble2garmin::fit
