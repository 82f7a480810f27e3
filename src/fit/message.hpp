#pragma once
// One FIT message: its definition (which fields, of which base type, in which order — fit.md §1.5)
// and the values of one data message (§1.6). A field without a value is written as its base type's
// invalid value, so writers set only what they know.

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "fit/base_type.hpp"

namespace ble2garmin::fit {

struct FieldDefinition {
    std::uint8_t number = 0;  // the profile's field number (253 = timestamp, 254 = message_index)
    BaseType type = BaseType::uint8;
    // Elements of an array field; for a string the buffer size in bytes, terminating NUL included.
    std::uint8_t count = 1;
};

struct MessageDefinition {
    std::uint16_t global_number = 0;      // the profile's mesg_num (file_id 0, record 20, …)
    std::vector<FieldDefinition> fields;  // data messages carry their values in this order
};

// round((value + offset) × scale) for an integer field (fit.md §1.10): the value in the profile's
// units, e.g. {70.1 kg, scale 100} is stored as 7010.
struct Scaled {
    double value = 0;
    double scale = 1;
    double offset = 0;
};

// Elements of an array field; missing trailing elements are written as invalid.
using IntegerArray = std::vector<std::int64_t>;

// std::int64_t / std::uint64_t / Scaled / IntegerArray: integer fields (enum, sint*, uint*, *z, byte);
// double: float32 / float64 fields; std::string: string fields.
using FieldValue = std::variant<std::int64_t, std::uint64_t, Scaled, double, std::string, IntegerArray>;

// The values of one data message by field number. Setting a field again replaces its value.
class Message {
public:
    template <std::integral T>
    requires(!std::same_as<T, bool>) Message& set(std::uint8_t field, T value)
    {
        if constexpr (std::is_signed_v<T>) {
            return put(field, static_cast<std::int64_t>(value));
        } else {
            return put(field, static_cast<std::uint64_t>(value));
        }
    }
    Message& set(std::uint8_t field, double value) { return put(field, value); }
    Message& set(std::uint8_t field, std::string text) { return put(field, std::move(text)); }
    Message& set(std::uint8_t field, IntegerArray values) { return put(field, std::move(values)); }
    Message& set_scaled(std::uint8_t field, double value, double scale, double offset = 0)
    {
        return put(field, Scaled{value, scale, offset});
    }

    // An absent optional leaves the field invalid.
    template <class T>
    Message& set(std::uint8_t field, const std::optional<T>& value)
    {
        return value ? set(field, *value) : *this;
    }
    Message& set_scaled(std::uint8_t field, std::optional<double> value, double scale, double offset = 0)
    {
        return value ? set_scaled(field, *value, scale, offset) : *this;
    }

    // Forgets every value, keeping the memory (a writer reuses one Message for thousands of records).
    void clear() { m_values.clear(); }

    // The value set for `field`, or nullptr.
    const FieldValue* find(std::uint8_t field) const;
    const std::vector<std::pair<std::uint8_t, FieldValue>>& values() const { return m_values; }

private:
    Message& put(std::uint8_t field, FieldValue value);

    std::vector<std::pair<std::uint8_t, FieldValue>> m_values;
};

}  // namespace ble2garmin::fit
