#pragma once
// The Omron cuffs ble2garmin knows: one row per model of shared/spec/device-omron.md §5 (memory
// maps from export2garmin's omblepy drivers and hass-omron), with the record layout of §6.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace ble2garmin::modules::omron {

enum class Endian { little, big };

// How the cuff talks GATT (§2): the classic stack with four TX/RX channels and an unlock
// characteristic, or the single-channel stack of the HEM-7377T1 / HEM-7380T1 (OS bonding only).
enum class Stack { classic, single_channel };

// [first, first + size) relative to a settings base; size 0 = the model has none.
struct Section {
    std::uint16_t offset = 0;
    std::uint16_t size = 0;
};

struct UserArea {
    std::uint16_t start = 0;  // EEPROM address of slot 0
    int records = 0;          // slots
};

enum class RecordRules {
    plain,           // only all-0xFF slots are empty
    empty_above_e1,  // 7380t1: byte 0 > 0xE1 = empty
    checked_7377,    // 7377t1: date and value ranges checked, user in byte 13
};

struct Model {
    std::string_view name;  // "hem-7155t", as in the config
    std::string_view sold_as;
    Endian endian = Endian::little;
    Stack stack = Stack::classic;
    std::vector<UserArea> users;
    std::uint16_t record_size = 0;
    std::uint16_t block_size = 0;  // bytes per EEPROM read (at most 0x38)
    std::optional<std::uint16_t> settings_read;
    std::optional<std::uint16_t> settings_write;
    Section index;               // cursors and unread counts (§7.1)
    Section time;                // the clock block (§8)
    bool time_sync = false;      // the clock block's layout is known
    bool year_6_bits = false;    // big-endian year byte masked with 0x3F (6232t, 7530t)
    bool flags_swapped = false;  // 6232t: IHB is bit 15, MOV bit 14
    RecordRules rules = RecordRules::plain;
};

// Every supported model, in the spec's order.
std::span<const Model> models();
// The model named `name` (case-insensitive, "HEM-7155T" or "hem-7155t"), or nullptr.
const Model* find_model(std::string_view name);
// "hem-7150t, hem-7155t, …" for messages.
std::string_view model_names();

}  // namespace ble2garmin::modules::omron
