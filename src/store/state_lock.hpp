#pragma once
// One process per state directory. The daemon holds `ble2garmin.lock` (flock(2), exclusive) for as
// long as it runs; `upload` and `replay` take the same lock for their pass. The file holds the
// holder's pid and command, so the one refused can say who has it. The kernel releases the lock
// when the process ends, however it ends: a crash never leaves a stale lock behind.

#include <filesystem>
#include <string>
#include <string_view>

#include "ble2garmin/result.hpp"

namespace ble2garmin::store {

inline constexpr const char* k_lock_file = "ble2garmin.lock";

class StateLock {
public:
    // Creates the state directory when missing (mode 0700) and takes its lock without waiting;
    // `command` ("run", "upload", …) is recorded for whoever is refused. An Error naming the holder
    // ("ble2garmin run (pid 812) is using /var/lib/ble2garmin") when another process has it, or
    // when the lock file cannot be created (a symbolic link is refused).
    static Result<StateLock> acquire(const std::filesystem::path& state_directory, std::string_view command);

    StateLock(StateLock&& other) noexcept;
    StateLock& operator=(StateLock&&) = delete;
    StateLock(const StateLock&) = delete;
    StateLock& operator=(const StateLock&) = delete;
    ~StateLock();

    // True when the holder that refused us is the daemon (`ble2garmin run`).
    static bool held_by_daemon(const Error& refusal);

private:
    explicit StateLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

// Creates `directory` (and its parents) when missing; a new state directory gets mode 0700, an
// existing one keeps its mode. An Error when it cannot be created.
Result<void> create_state_directory(const std::filesystem::path& directory);

}  // namespace ble2garmin::store
