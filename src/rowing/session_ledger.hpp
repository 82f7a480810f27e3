#pragma once
// What the watch folder has done with each rowing session, so that none is uploaded twice — also
// across restarts. Kept in `rowing_sessions.json` in the state directory, rewritten atomically
// (0600) after every change:
//
//   {"sessions": {"9f3c…": {"file": "2024-03-10.tcx", "size": 4506, "mtime_ns": 1710057600000000000,
//                           "status": "uploaded", "at": 1710058000, "detail": "HTTP 201"}}}
//
// A session is keyed by a hash of the TCX file's bytes (FNV-1a, 64 bit): the same export dropped
// again, or renamed, is recognised; a file that changed (a partial copy completed) is a new session.
// Name, size and modification time let a restart skip known files without reading them.

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "ble2garmin/result.hpp"

namespace ble2garmin::rowing {

inline constexpr const char* k_session_ledger_file = "rowing_sessions.json";

struct SessionRecord {
    std::string file;  // the TCX file's name (no directory)
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    // "uploaded", "duplicate" (Garmin had it: 409), "rejected" (Garmin refused it: 4xx other than
    // 409), "invalid" (not a readable TCX session).
    std::string status;
    std::int64_t at = 0;  // Unix seconds
    std::string detail;
};

// "9f3c0a…": 16 hex digits of the FNV-1a 64-bit hash of `bytes`.
std::string session_key(std::string_view bytes);

class SessionLedger {
public:
    // The ledger in `path`; empty when the file does not exist. An Error when it exists but cannot be
    // read or is not a ledger (the watch folder then stays off rather than risk a second upload).
    static Result<SessionLedger> open(const std::filesystem::path& path);

    bool contains(const std::string& key) const { return m_sessions.count(key) > 0; }
    // True when a session was recorded for a file of this name, size and modification time.
    bool knows_file(const std::string& file, std::uint64_t size, std::int64_t mtime_ns) const;
    const std::map<std::string, SessionRecord>& sessions() const { return m_sessions; }

    // Adds (or replaces) `key` and rewrites the file atomically. An Error when it cannot be written;
    // the record is then kept in memory only.
    Result<void> record(const std::string& key, SessionRecord record);

private:
    explicit SessionLedger(std::filesystem::path path) : m_path(std::move(path)) {}
    static std::string file_identity(const std::string& file, std::uint64_t size, std::int64_t mtime_ns);

    std::filesystem::path m_path;
    std::map<std::string, SessionRecord> m_sessions;
    std::set<std::string> m_files;  // file_identity of every record
};

}  // namespace ble2garmin::rowing
