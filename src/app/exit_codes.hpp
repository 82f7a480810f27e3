#pragma once
// The process exit codes of every command (the daemon's `run` included).

namespace ble2garmin::app {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;  // the command ran and said no (decode failed, bad input)
inline constexpr int k_exit_usage = 2;    // command-line error (CLI11)
inline constexpr int k_exit_config = 3;   // the configuration is invalid
inline constexpr int k_exit_runtime = 4;  // cannot continue (no bus, unwritable state directory)

}  // namespace ble2garmin::app
