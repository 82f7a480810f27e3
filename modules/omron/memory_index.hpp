#pragma once
// The index section at the settings base (shared/spec/device-omron.md §7.1), device endianness,
// low 8 bits used, higher bits are flags:
//   +0  user 1 write cursor = the next slot to write (newest record = cursor − 1, wrapping)
//   +2  user 2 write cursor
//   +4  user 1 unread count (0x8000 = nothing unread)
//   +6  user 2 unread count
// A cursor of exactly 0x8000 marks a user that never measured. Pure.

#include <cstdint>
#include <optional>
#include <span>

#include "ble2garmin/bytes.hpp"
#include "ble2garmin/result.hpp"

#include "models.hpp"

namespace ble2garmin::modules::omron {

struct UserIndex {
    bool never_used = false;
    int next_slot = 0;  // the write cursor (low 8 bits)
    int unread = 0;     // low 8 bits; 0 when the field says 0x8000
};

// User `user` (0 or 1) of the index section `bytes`; an Error when the section is too short or the
// cursor points outside the user's slots.
Result<UserIndex> parse_user_index(const Model& model, std::span<const std::uint8_t> bytes, int user);

// The slot of the newest record, or nullopt for a user that never measured.
std::optional<int> newest_slot(const UserIndex& index, int slots);

// The index section with both unread counts set to "nothing unread" (0x8000 in device endianness),
// every other byte kept: what omblepy's "new records only" mode writes back (§7.3).
Bytes with_unread_cleared(const Model& model, std::span<const std::uint8_t> section);

}  // namespace ble2garmin::modules::omron
