#pragma once
// What every file ble2garmin keeps has in common: who may read it, and the one wording of a failed
// system call on it.

#include <filesystem>
#include <string>

#include <sys/types.h>

#include "ble2garmin/result.hpp"

namespace ble2garmin::fs {

// Health data and tokens: readable by the service user only, whatever the umask. An existing
// file's mode is kept (its owner may have chosen another).
inline constexpr mode_t k_private_file_mode = 0600;
inline constexpr mode_t k_private_directory_mode = 0700;

// "cannot <what> <path>: <reason of errno>". A symbolic link refused by O_NOFOLLOW (ELOOP) is named
// as such (check_regular_or_missing's wording).
Error file_error(const std::string& what, const std::filesystem::path& path, int error_number);

// An Error when `path` exists and is a symbolic link or not a regular file (the wording users see
// for a refused state file); ok when it is a regular file or does not exist.
Result<void> check_regular_or_missing(const std::filesystem::path& path);

}  // namespace ble2garmin::fs
