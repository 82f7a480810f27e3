#include "memory_index.hpp"

#include <string>

namespace ble2garmin::modules::omron {
namespace {

unsigned field(const Model& model, std::span<const std::uint8_t> bytes, std::size_t at)
{
    const unsigned first = bytes[at];
    const unsigned second = bytes[at + 1];
    return model.endian == Endian::little ? first | (second << 8) : (first << 8) | second;
}

}  // namespace

Result<UserIndex> parse_user_index(const Model& model, std::span<const std::uint8_t> bytes, int user)
{
    if (bytes.size() < 8 || user < 0 || user > 1) {
        return make_error("the index section is " + std::to_string(bytes.size()) + " bytes, 8 needed");
    }
    const unsigned cursor = field(model, bytes, static_cast<std::size_t>(2 * user));
    const unsigned unread = field(model, bytes, static_cast<std::size_t>(4 + 2 * user));
    UserIndex index;
    index.never_used = cursor == 0x8000;
    index.next_slot = static_cast<int>(cursor & 0xFF);
    index.unread = unread == 0x8000 ? 0 : static_cast<int>(unread & 0xFF);
    const int slots = static_cast<std::size_t>(user) < model.users.size()
                          ? model.users[static_cast<std::size_t>(user)].records
                          : 0;
    if (!index.never_used && index.next_slot > slots) {
        return make_error("user " + std::to_string(user + 1) + "'s write cursor " +
                          std::to_string(index.next_slot) + " is beyond the " + std::to_string(slots) +
                          " slots");
    }
    return index;
}

std::optional<int> newest_slot(const UserIndex& index, int slots)
{
    if (index.never_used || slots <= 0) {
        return std::nullopt;
    }
    return (index.next_slot + slots - 1) % slots;
}

Bytes with_unread_cleared(const Model& model, std::span<const std::uint8_t> section)
{
    Bytes out(section.begin(), section.end());
    for (std::size_t at : {std::size_t{4}, std::size_t{6}}) {
        if (at + 1 < out.size()) {
            out[at] = model.endian == Endian::little ? 0x00 : 0x80;
            out[at + 1] = model.endian == Endian::little ? 0x80 : 0x00;
        }
    }
    return out;
}

}  // namespace ble2garmin::modules::omron
