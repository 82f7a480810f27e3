#pragma once
// device_cursors.tsv in the state directory: how far ble2garmin has stored each memory of a device
// that keeps its measurements (an Omron cuff's user slots). One line per device and stream:
//
//   00:5F:BF:00:00:01<TAB>user1<TAB>1721238330
//
// The position is the newest record stored (device_session.hpp). The journal line of each record
// recorded from a device's memory carries its stream and position too, and the store folds those
// into this file when it opens, before the journal is compacted: a kill between the row and any
// later write can therefore neither lose a cursor nor let a record be recorded twice. The file is
// only ever replaced atomically.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>

#include "ble2garmin/result.hpp"

#include "fs/file_sync.hpp"

namespace ble2garmin::store {

inline constexpr const char* k_device_cursors_file = "device_cursors.tsv";

class DeviceCursors {
public:
    // Reads `path` (a missing file is empty; an unreadable line is skipped). An Error when it cannot
    // be read or is a symbolic link.
    static Result<DeviceCursors> open(std::filesystem::path path);

    // The cursors of `device` by stream.
    std::map<std::string, std::int64_t> of(const std::string& device) const;
    // Raises the cursor of (device, stream) to `position`; true when it moved.
    bool raise(const std::string& device, const std::string& stream, std::int64_t position);
    // Replaces the file atomically with the cursors held.
    Result<void> save(fs::FileSync& sync) const;

private:
    explicit DeviceCursors(std::filesystem::path path) : m_path(std::move(path)) {}

    std::filesystem::path m_path;
    std::map<std::pair<std::string, std::string>, std::int64_t> m_cursors;
};

// The cursors of `device` as far as the state directory tells without opening the store (the file
// and the journal's lines, rows unchecked): for commands that only show what is new, never for
// recording. Empty when nothing can be read.
std::map<std::string, std::int64_t> peek_device_cursors(const std::filesystem::path& state_directory,
                                                        const std::string& device);

}  // namespace ble2garmin::store
