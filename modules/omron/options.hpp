#pragma once
// The [devices.omron] table (one per cuff; [[devices.omron]] for two), checked once at start-up and
// by check-config, with file:line:column:
//
//   mac                    the cuff's address (the loader has normalised it)
//   model                  one of models.hpp ("hem-7155t", …): decides the memory map and layout
//   key                    the 32-hex-digit pairing key programmed into the cuff (omblepy's default)
//   update_unread_counter  after a download, mark the records read on the cuff (writes its EEPROM)
//   sync_time              set the cuff's clock to local time at each session (writes its EEPROM)
//   quiet_seconds          after a download, its adverts are not answered for this long (0–3600)
//
// No write to the cuff happens unless one of the two write options is true.

#include <array>
#include <chrono>
#include <cstdint>
#include <string>

#include <toml++/toml.h>

#include "ble2garmin/result.hpp"

#include "models.hpp"

namespace ble2garmin::modules::omron {

using PairingKey = std::array<std::uint8_t, 16>;

struct Options {
    std::string mac;
    const Model* model = nullptr;
    PairingKey key{};
    bool update_unread_counter = false;
    bool sync_time = false;
    std::chrono::seconds quiet{60};
};

// The options of `table`; an Error with every problem and where it is.
Result<Options> read_options(const toml::table& table);

// The key in `text` (exactly 32 hex digits); an Error saying what is wrong.
Result<PairingKey> parse_key(std::string_view text);

}  // namespace ble2garmin::modules::omron
