#pragma once
// Reading a whole input file a user names (the configuration, export2garmin.cfg, a replay
// recording) with an upper bound: `/dev/zero` or a multi-gigabyte log given by mistake is refused
// with one line instead of filling the memory, and a directory is named as one.

#include <cstddef>
#include <filesystem>
#include <string>

#include "ble2garmin/result.hpp"

namespace ble2garmin::fs {

inline constexpr std::size_t k_max_config_bytes = 1 << 20;       // 1 MiB: a config is a few KiB
inline constexpr std::size_t k_max_recording_bytes = 64u << 20;  // 64 MiB: days of advertisements

// The rest of the open file `fd` (which stays open), up to `max_bytes`; an Error with the reason
// alone (errno's words, or "it is larger than 1 MiB; …") otherwise. Every whole-file read uses it.
Result<std::string> read_to_end(int fd, std::size_t max_bytes);

// The bytes of `path` (a symbolic link is followed: these are the user's own files). An Error with
// the reason alone ("it is a directory, not a file", "No such file or directory", "it is larger
// than 1 MiB; …"; the caller names the file) when it cannot be read or holds more than `max_bytes`.
Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace ble2garmin::fs
