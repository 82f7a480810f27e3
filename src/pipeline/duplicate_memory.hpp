#pragma once
// Remembers which readings were already recorded, across restarts.
//
// A Mi scale re-advertises its last result for ~15 minutes and BlueZ (DuplicateData=true) reports
// every advertisement, so one weighing arrives hundreds of times; an ESP32 gateway's MQTT message
// is retained and arrives again after every reconnect. Each reading carries a fingerprint (device
// address + the module's identity of the weighing); a fingerprint seen within the window is a
// duplicate. The memory is a small append-only file in the state directory
// (`<unix seconds>\t<key>` per line), compacted when it is opened, so a restart — or a crash right
// after the CSV row was written — never records the same weighing twice. This replaces
// export2garmin's "any CSV row within 30 s" scan, which also swallowed a second person weighing
// right after the first.

#include <chrono>
#include <filesystem>
#include <string>
#include <unordered_map>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

namespace ble2garmin::pipeline {

class DuplicateMemory {
public:
    // Loads `path` (missing file = empty memory), forgets entries older than `window` before `now`
    // and rewrites the file without them. An Error when the file cannot be read or rewritten.
    // A window of 0 disables duplicate detection.
    static Result<DuplicateMemory> open(std::filesystem::path path, std::chrono::seconds window,
                                        SystemTime now);

    // True when `key` was remembered within the window before `now`.
    bool seen(const std::string& key, SystemTime now) const;

    // Records `key` at `at` (appended and fsync'ed); an Error when the file cannot be written.
    Result<void> remember(const std::string& key, SystemTime at);

    std::size_t size() const { return m_first_seen.size(); }

private:
    DuplicateMemory(std::filesystem::path path, std::chrono::seconds window)
        : m_path(std::move(path)), m_window(window)
    {
    }

    std::filesystem::path m_path;
    std::chrono::seconds m_window;
    std::unordered_map<std::string, SystemTime> m_first_seen;
};

}  // namespace ble2garmin::pipeline
