#pragma once
// Reading a password or an MFA code for `ble2garmin login`: from a file, from the terminal without
// echo, or as the next line of stdin when stdin is not a terminal (scripts, tests).

#include <filesystem>
#include <optional>
#include <string>

#include "ble2garmin/result.hpp"

namespace ble2garmin::cli {

// The first line of `path` (without the line end); an Error when unreadable or empty.
Result<std::string> read_secret_file(const std::filesystem::path& path);

// On a terminal: `prompt` on stderr, the answer read with echo off when `hide`. Otherwise the next
// line of stdin. nullopt at end of input.
std::optional<std::string> read_secret_line(const std::string& prompt, bool hide);

}  // namespace ble2garmin::cli
