#pragma once
// The process exit codes of every command (the daemon's `run` included).

namespace ble2garmin::app {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;  // the command ran and said no (decode failed, bad input)
inline constexpr int k_exit_usage = 2;    // command-line error (CLI11)
inline constexpr int k_exit_config = 3;   // the configuration is invalid
inline constexpr int k_exit_runtime = 4;  // cannot continue (no bus, unwritable state directory)
// Nothing is wrong but the work is not done: try again later (`upload` while Garmin is unreachable or
// rate-limits). sysexits' EX_TEMPFAIL, which cron wrappers and systemd's SuccessExitStatus= know.
inline constexpr int k_exit_temporary = 75;

}  // namespace ble2garmin::app
