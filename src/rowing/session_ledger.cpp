#include "rowing/session_ledger.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "fs/atomic_file.hpp"
#include "fs/csv_file.hpp"
#include "fs/file_error.hpp"

namespace ble2garmin::rowing {

std::string session_key(std::string_view bytes)
{
    std::uint64_t hash = 14'695'981'039'346'656'037ULL;
    for (const char byte : bytes) {
        hash = (hash ^ static_cast<std::uint8_t>(byte)) * 1'099'511'628'211ULL;
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

std::string SessionLedger::file_identity(const std::string& file, std::uint64_t size, std::int64_t mtime_ns)
{
    return file + '\n' + std::to_string(size) + '\n' + std::to_string(mtime_ns);
}

Result<SessionLedger> SessionLedger::open(const std::filesystem::path& path)
{
    SessionLedger ledger(path);
    // A state file: never read through a symbolic link (O_NOFOLLOW); missing means empty.
    auto text = fs::CsvFile(path).read();
    if (!text) {
        return text.error();
    }
    if (!*text) {
        return ledger;
    }
    try {
        const auto json = nlohmann::json::parse(**text);
        for (const auto& [key, value] : json.at("sessions").items()) {
            SessionRecord record;
            record.file = value.at("file").get<std::string>();
            record.size = value.at("size").get<std::uint64_t>();
            record.mtime_ns = value.at("mtime_ns").get<std::int64_t>();
            record.status = value.at("status").get<std::string>();
            record.at = value.at("at").get<std::int64_t>();
            record.detail = value.value("detail", "");
            ledger.m_files.insert(file_identity(record.file, record.size, record.mtime_ns));
            ledger.m_sessions.emplace(key, std::move(record));
        }
    } catch (const nlohmann::json::exception& failure) {
        return make_error(path.string() + ": not a rowing session ledger (" + failure.what() + ")");
    }
    return ledger;
}

bool SessionLedger::knows_file(const std::string& file, std::uint64_t size, std::int64_t mtime_ns) const
{
    return m_files.count(file_identity(file, size, mtime_ns)) > 0;
}

Result<void> SessionLedger::record(const std::string& key, SessionRecord record)
{
    m_files.insert(file_identity(record.file, record.size, record.mtime_ns));
    m_sessions[key] = std::move(record);
    nlohmann::ordered_json sessions = nlohmann::ordered_json::object();
    for (const auto& [session, entry] : m_sessions) {
        sessions[session] = {{"file", entry.file},     {"size", entry.size}, {"mtime_ns", entry.mtime_ns},
                             {"status", entry.status}, {"at", entry.at},     {"detail", entry.detail}};
    }
    const nlohmann::ordered_json json = {{"sessions", sessions}};
    return fs::replace_file_atomically(m_path, json.dump(1) + "\n", {fs::k_private_file_mode});
}

}  // namespace ble2garmin::rowing
