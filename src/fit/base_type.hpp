#pragma once
// FIT base types (shared/spec/fit.md §1.8): the byte written in a field definition, the size of one
// element and the "invalid" bit pattern that stands for "no value". Bit 7 of the byte is the
// endian-ability flag of multi-byte types; decoders mask the number with 0x1F.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ble2garmin::fit {

enum class BaseType : std::uint8_t {
    enumeration = 0x00,  // "enum" in the profile
    sint8 = 0x01,
    uint8 = 0x02,
    sint16 = 0x83,
    uint16 = 0x84,
    sint32 = 0x85,
    uint32 = 0x86,
    string = 0x07,  // UTF-8, NUL-terminated and NUL-padded to the field size
    float32 = 0x88,
    float64 = 0x89,
    uint8z = 0x0A,  // the "z" types use 0 as their invalid value
    uint16z = 0x8B,
    uint32z = 0x8C,
    byte = 0x0D,    // an array of these is invalid only when every byte is 0xFF
    sint64 = 0x8E,  // 64-bit types need protocol version 2.0
    uint64 = 0x8F,
    uint64z = 0x90,
};

// Bytes of one element: 1, 2, 4 or 8 (1 for string: one byte per character).
std::size_t element_size(BaseType type);

// The invalid value of one element as an unsigned bit pattern of element_size() bytes
// (0xFFFF for uint16, 0x7F for sint8, 0 for the z types and string, all ones for floats).
std::uint64_t invalid_pattern(BaseType type);

bool is_signed_integer(BaseType type);
bool is_float(BaseType type);
bool is_64_bit(BaseType type);

// The profile's name ("uint16", "enum") for error messages.
std::string_view name_of(BaseType type);

}  // namespace ble2garmin::fit
