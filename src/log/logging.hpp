#pragma once
// One named spdlog logger per component ("pipeline", "store", "bluez", …). Messages are constant
// text with key=value details and never contain a token, password, bindkey or MFA code.

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "ble2garmin/result.hpp"

namespace ble2garmin::logging {

// Sends every logger to journald when systemd started us (JOURNAL_STREAM names our stderr), else
// to the console (stderr). An Error for an unknown level name.
Result<void> init(std::string_view level);

// Changes the level of every logger (SIGHUP reload); an Error for an unknown level name.
Result<void> set_level(std::string_view level);

// The logger of `component`, created on first use with the shared sinks.
std::shared_ptr<spdlog::logger> get(const std::string& component);

// True when JOURNAL_STREAM matches the device and inode of stderr (sd_journal_stream_fd rule).
bool stderr_is_journal();

}  // namespace ble2garmin::logging
