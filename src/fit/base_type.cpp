#include "fit/base_type.hpp"

namespace ble2garmin::fit {

std::size_t element_size(BaseType type)
{
    switch (type) {
        case BaseType::enumeration:
        case BaseType::sint8:
        case BaseType::uint8:
        case BaseType::string:
        case BaseType::uint8z:
        case BaseType::byte:
            return 1;
        case BaseType::sint16:
        case BaseType::uint16:
        case BaseType::uint16z:
            return 2;
        case BaseType::sint32:
        case BaseType::uint32:
        case BaseType::float32:
        case BaseType::uint32z:
            return 4;
        case BaseType::float64:
        case BaseType::sint64:
        case BaseType::uint64:
        case BaseType::uint64z:
            return 8;
    }
    return 0;
}

std::uint64_t invalid_pattern(BaseType type)
{
    switch (type) {
        case BaseType::enumeration:
        case BaseType::uint8:
        case BaseType::byte:
            return 0xFF;
        case BaseType::sint8:
            return 0x7F;
        case BaseType::sint16:
            return 0x7FFF;
        case BaseType::uint16:
            return 0xFFFF;
        case BaseType::sint32:
            return 0x7FFF'FFFF;
        case BaseType::uint32:
        case BaseType::float32:
            return 0xFFFF'FFFF;
        case BaseType::sint64:
            return 0x7FFF'FFFF'FFFF'FFFF;
        case BaseType::float64:
        case BaseType::uint64:
            return 0xFFFF'FFFF'FFFF'FFFF;
        case BaseType::string:
        case BaseType::uint8z:
        case BaseType::uint16z:
        case BaseType::uint32z:
        case BaseType::uint64z:
            return 0;
    }
    return 0;
}

bool is_signed_integer(BaseType type)
{
    return type == BaseType::sint8 || type == BaseType::sint16 || type == BaseType::sint32 ||
           type == BaseType::sint64;
}

bool is_float(BaseType type)
{
    return type == BaseType::float32 || type == BaseType::float64;
}

bool is_64_bit(BaseType type)
{
    return type == BaseType::sint64 || type == BaseType::uint64 || type == BaseType::uint64z;
}

std::string_view name_of(BaseType type)
{
    switch (type) {
        case BaseType::enumeration:
            return "enum";
        case BaseType::sint8:
            return "sint8";
        case BaseType::uint8:
            return "uint8";
        case BaseType::sint16:
            return "sint16";
        case BaseType::uint16:
            return "uint16";
        case BaseType::sint32:
            return "sint32";
        case BaseType::uint32:
            return "uint32";
        case BaseType::string:
            return "string";
        case BaseType::float32:
            return "float32";
        case BaseType::float64:
            return "float64";
        case BaseType::uint8z:
            return "uint8z";
        case BaseType::uint16z:
            return "uint16z";
        case BaseType::uint32z:
            return "uint32z";
        case BaseType::byte:
            return "byte";
        case BaseType::sint64:
            return "sint64";
        case BaseType::uint64:
            return "uint64";
        case BaseType::uint64z:
            return "uint64z";
    }
    return "unknown";
}

}  // namespace ble2garmin::fit
