#include "fit/message.hpp"

namespace ble2garmin::fit {

const FieldValue* Message::find(std::uint8_t field) const
{
    for (const auto& [number, value] : m_values) {
        if (number == field) {
            return &value;
        }
    }
    return nullptr;
}

Message& Message::put(std::uint8_t field, FieldValue value)
{
    for (auto& [number, existing] : m_values) {
        if (number == field) {
            existing = std::move(value);
            return *this;
        }
    }
    m_values.emplace_back(field, std::move(value));
    return *this;
}

}  // namespace ble2garmin::fit
