#pragma once
// The two flushes every durable file write needs: the file's data, and the directory entry when a
// file was created or renamed. Injected into CsvFile so tests can see that each write path asks for
// them and can make them fail.

#include <filesystem>

#include "ble2garmin/result.hpp"

namespace ble2garmin::fs {

class FileSync {
public:
    virtual ~FileSync() = default;
    // fsync(fd) of the open file `path`; an Error with the system's reason.
    virtual Result<void> sync_file(int fd, const std::filesystem::path& path) = 0;
    // fsync of `directory` (opened read-only); an Error with the system's reason.
    virtual Result<void> sync_directory(const std::filesystem::path& directory) = 0;
};

// The real fsync(2); one shared instance.
FileSync& system_file_sync();

}  // namespace ble2garmin::fs
