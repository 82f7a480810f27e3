#pragma once
// The FIT CRC-16 (shared/spec/fit.md §1.3): CRC-16/ARC — reflected polynomial 0xA001, initial value
// 0, no final XOR — computed a nibble at a time with a 16-entry table, as the FIT protocol states it.
// Check value: "123456789" -> 0xBB3D.

#include <cstdint>
#include <span>

namespace ble2garmin::fit {

// The CRC of `bytes` continued from `crc` (0 to start), so a file can be checksummed in pieces.
// Never fails. Appending the result little-endian to the bytes makes the CRC of the whole 0.
std::uint16_t crc16(std::span<const std::uint8_t> bytes, std::uint16_t crc = 0);

}  // namespace ble2garmin::fit
