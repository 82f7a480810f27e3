#pragma once
// GATT UUIDs of Omron cuffs (shared/spec/device-omron.md §2), lower-case as BlueZ writes them.

#include <array>
#include <cstdint>
#include <string_view>

namespace ble2garmin::modules::omron {

// Classic stack: one parent service, an unlock/key characteristic, four TX and four RX channels.
inline constexpr std::string_view k_parent_service = "ecbe3980-c9a2-11e1-b1bd-0002a5d5c51b";
inline constexpr std::string_view k_unlock = "b305b680-aee7-11e1-a730-0002a5d5c51b";
inline constexpr std::array<std::string_view, 4> k_tx = {
    "db5b55e0-aee7-11e1-965e-0002a5d5c51b", "e0b8a060-aee7-11e1-92f4-0002a5d5c51b",
    "0ae12b00-aee8-11e1-a192-0002a5d5c51b", "10e1ba60-aee8-11e1-89e5-0002a5d5c51b"};
inline constexpr std::array<std::string_view, 4> k_rx = {
    "49123040-aee8-11e1-a74d-0002a5d5c51b", "4d0bf320-aee8-11e1-a0d9-0002a5d5c51b",
    "5128ce60-aee8-11e1-b84b-0002a5d5c51b", "560f1420-aee8-11e1-8184-0002a5d5c51b"};
// HEM-7377T1 / HEM-7380T1: another parent service, TX ch0 and RX ch0 only.
inline constexpr std::string_view k_single_channel_service = "0000fe4a-0000-1000-8000-00805f9b34fb";

// The [[users]] key with which a person claims a cuff's user slot (1 or 2).
inline constexpr std::string_view k_slot_key = "omron_slot";

// The company id of Omron's manufacturer data (0x020E).
inline constexpr std::uint16_t k_company_id = 0x020E;

// The pairing key omblepy and hass-omron program by default (any 16 bytes do).
inline constexpr std::string_view k_default_key = "deadbeaf12341234deadbeaf12341234";

}  // namespace ble2garmin::modules::omron
