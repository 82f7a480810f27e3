#include "fit/field_encoding.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace ble2garmin::fit {

namespace {

// Largest magnitude a scaled value may have before std::llround (whose result must fit int64).
constexpr double k_llround_limit = 9.0e18;

void append_little_endian(Bytes& out, std::uint64_t value, std::size_t size)
{
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }
}

// The valid (non-invalid) values of an integer base type. Unsigned types lose their all-ones value,
// the "z" types lose 0, signed types lose their maximum; `byte` keeps every value (an array of it is
// invalid only when all bytes are 0xFF, checked by the caller).
struct IntegerRange {
    std::int64_t min = 0;
    std::uint64_t max = 0;
};

IntegerRange valid_range(BaseType type)
{
    const std::size_t bits = 8 * element_size(type);
    const std::uint64_t all_ones = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    if (is_signed_integer(type)) {
        const std::uint64_t positive_max = all_ones >> 1;  // 0x7F…F, the invalid value
        return {-static_cast<std::int64_t>(positive_max) - 1, positive_max - 1};
    }
    if (type == BaseType::byte) {
        return {0, all_ones};
    }
    if (invalid_pattern(type) == 0) {
        return {1, all_ones};
    }
    return {0, all_ones - 1};
}

std::string range_text(const IntegerRange& range)
{
    return std::to_string(range.min) + ".." + std::to_string(range.max);
}

bool is_integer_type(BaseType type)
{
    return !is_float(type) && type != BaseType::string;
}

// The bit pattern of one integer element, or an Error when it is out of the type's valid range.
Result<std::uint64_t> integer_bits(const FieldDefinition& field, std::int64_t value)
{
    const IntegerRange range = valid_range(field.type);
    if (value < range.min || (value >= 0 && static_cast<std::uint64_t>(value) > range.max)) {
        return make_error(describe(field) + ": value " + std::to_string(value) + " is outside " +
                          range_text(range));
    }
    return static_cast<std::uint64_t>(value);  // two's complement: the low bytes are the encoding
}

Result<std::uint64_t> integer_bits(const FieldDefinition& field, std::uint64_t value)
{
    const IntegerRange range = valid_range(field.type);
    if ((range.min > 0 && value < static_cast<std::uint64_t>(range.min)) || value > range.max) {
        return make_error(describe(field) + ": value " + std::to_string(value) + " is outside " +
                          range_text(range));
    }
    return value;
}

Result<std::uint64_t> integer_bits(const FieldDefinition& field, const Scaled& scaled)
{
    // Round to nearest (half away from zero): 70.1 × 100 = 7009.999… is stored as 7010. Upstream
    // python-garminconnect truncates instead (shared/spec/export2garmin-compat.md, defect 20).
    const double stored = (scaled.value + scaled.offset) * scaled.scale;
    if (!std::isfinite(stored) || std::fabs(stored) > k_llround_limit) {
        return make_error(describe(field) + ": scaled value " + std::to_string(stored) +
                          " is not a number in range");
    }
    return integer_bits(field, static_cast<std::int64_t>(std::llround(stored)));
}

Result<void> append_float(Bytes& out, const FieldDefinition& field, double value)
{
    if (!std::isfinite(value)) {
        return make_error(describe(field) + ": value is not finite");
    }
    if (field.type == BaseType::float32) {
        if (std::fabs(value) > static_cast<double>(std::numeric_limits<float>::max())) {
            return make_error(describe(field) + ": value " + std::to_string(value) + " does not fit float32");
        }
        append_little_endian(out, std::bit_cast<std::uint32_t>(static_cast<float>(value)), 4);
    } else {
        append_little_endian(out, std::bit_cast<std::uint64_t>(value), 8);
    }
    return {};
}

Result<void> append_string(Bytes& out, const FieldDefinition& field, const std::string& text)
{
    if (text.find('\0') != std::string::npos) {
        return make_error(describe(field) + ": text contains a NUL character");
    }
    if (text.size() >= field.count) {  // room for the terminating NUL
        return make_error(describe(field) + ": text of " + std::to_string(text.size()) +
                          " bytes does not fit " + std::to_string(field.count) + " bytes with its NUL");
    }
    out.insert(out.end(), text.begin(), text.end());
    out.insert(out.end(), field.count - text.size(), std::uint8_t{0});
    return {};
}

Result<void> append_integers(Bytes& out, const FieldDefinition& field, const IntegerArray& values)
{
    if (values.size() > field.count) {
        return make_error(describe(field) + ": " + std::to_string(values.size()) + " values for " +
                          std::to_string(field.count) + " elements");
    }
    const std::size_t size = element_size(field.type);
    Bytes bytes;
    for (const std::int64_t value : values) {
        auto bits = integer_bits(field, value);
        if (!bits) {
            return bits.error();
        }
        append_little_endian(bytes, *bits, size);
    }
    for (std::size_t i = values.size(); i < field.count; ++i) {
        append_little_endian(bytes, invalid_pattern(field.type), size);
    }
    if (field.type == BaseType::byte && !values.empty() &&
        std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0xFF; })) {
        return make_error(describe(field) + ": all bytes 0xFF would read as invalid");
    }
    out.insert(out.end(), bytes.begin(), bytes.end());
    return {};
}

Result<void> append_integer(Bytes& out, const FieldDefinition& field, const Result<std::uint64_t>& bits)
{
    if (!bits) {
        return bits.error();
    }
    if (field.count != 1) {
        return make_error(describe(field) + ": a single value for an array of " +
                          std::to_string(field.count));
    }
    if (field.type == BaseType::byte && *bits == 0xFF) {
        return make_error(describe(field) + ": 0xFF would read as invalid");
    }
    append_little_endian(out, *bits, element_size(field.type));
    return {};
}

Error wrong_kind(const FieldDefinition& field, const char* kind)
{
    return make_error(describe(field) + ": cannot hold " + kind);
}

}  // namespace

std::size_t field_size(const FieldDefinition& field)
{
    return element_size(field.type) * field.count;
}

Result<void> check_field_definition(const FieldDefinition& field)
{
    if (field.count == 0) {
        return make_error(describe(field) + ": count must be at least 1");
    }
    if (field_size(field) > std::numeric_limits<std::uint8_t>::max()) {
        return make_error(describe(field) + ": " + std::to_string(field_size(field)) +
                          " bytes, more than a definition can declare (255)");
    }
    return {};
}

Result<void> append_field(Bytes& out, const FieldDefinition& field, const FieldValue* value)
{
    if (value == nullptr) {
        for (std::size_t i = 0; i < field.count; ++i) {
            append_little_endian(out, invalid_pattern(field.type), element_size(field.type));
        }
        return {};
    }
    if (const auto* text = std::get_if<std::string>(value)) {
        return field.type == BaseType::string ? append_string(out, field, *text) : wrong_kind(field, "text");
    }
    if (const auto* number = std::get_if<double>(value)) {
        return is_float(field.type) ? append_float(out, field, *number)
                                    : wrong_kind(field, "a floating-point value (scale it)");
    }
    if (!is_integer_type(field.type)) {
        return wrong_kind(field, "an integer");
    }
    if (const auto* values = std::get_if<IntegerArray>(value)) {
        return append_integers(out, field, *values);
    }
    if (const auto* scaled = std::get_if<Scaled>(value)) {
        return append_integer(out, field, integer_bits(field, *scaled));
    }
    if (const auto* signed_value = std::get_if<std::int64_t>(value)) {
        return append_integer(out, field, integer_bits(field, *signed_value));
    }
    return append_integer(out, field, integer_bits(field, std::get<std::uint64_t>(*value)));
}

std::string describe(const FieldDefinition& field)
{
    std::string text = "field " + std::to_string(field.number) + " (" + std::string(name_of(field.type));
    if (field.count != 1) {
        text += "[" + std::to_string(field.count) + "]";
    }
    return text + ")";
}

}  // namespace ble2garmin::fit
