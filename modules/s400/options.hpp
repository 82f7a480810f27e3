#pragma once
// The [devices.s400] table: checked once at start-up (and by check-config), with file:line:column.
//
//   mac                    the scale's address (the loader has normalised it)
//   bindkey                32 hex digits — or
//   bindkey_file           a file holding them (whitespace around them ignored). A relative path
//                          is looked up in $CREDENTIALS_DIRECTORY when that is set (systemd
//                          LoadCredential=), else next to the config file.
//   session_grace_seconds  how long the first packet of a weighing waits for the second (1–60)
//
// No message ever contains the key or the file's content.

#include <chrono>
#include <string>

#include <toml++/toml.h>

#include "ble2garmin/result.hpp"

#include "aes_ccm.hpp"
#include "mibeacon.hpp"

namespace ble2garmin::modules::s400 {

inline constexpr int k_default_session_grace_seconds = 10;
inline constexpr int k_max_session_grace_seconds = 60;

struct Options {
    std::string mac;  // "AA:BB:CC:DD:EE:FF"
    MacAddress mac_bytes{};
    BindKey bindkey{};
    std::chrono::seconds session_grace{k_default_session_grace_seconds};
};

// The options of `table`; an Error naming the first problem and where it is.
Result<Options> read_options(const toml::table& table);

// The key in `text` (exactly 32 hex digits); an Error that says what is wrong without repeating it.
Result<BindKey> parse_bindkey(std::string_view text);

}  // namespace ble2garmin::modules::s400
