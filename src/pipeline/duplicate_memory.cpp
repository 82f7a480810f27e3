#include "pipeline/duplicate_memory.hpp"

#include <fstream>
#include <sstream>

#include "store/csv_file.hpp"
#include "util/time.hpp"

namespace ble2garmin::pipeline {
namespace {

std::string entry_line(const std::string& key, SystemTime at)
{
    return std::to_string(to_unix_seconds(at)) + "\t" + key + "\n";
}

}  // namespace

Result<DuplicateMemory> DuplicateMemory::open(std::filesystem::path path, std::chrono::seconds window,
                                              SystemTime now)
{
    DuplicateMemory memory(std::move(path), window);
    std::ifstream in(memory.m_path);
    if (in) {
        std::string line;
        while (std::getline(in, line)) {
            const auto tab = line.find('\t');
            if (tab == std::string::npos || tab == 0) {
                continue;  // a torn last line after a crash: the reading it named is in the CSV anyway
            }
            long long seconds = 0;
            std::istringstream number(line.substr(0, tab));
            if (!(number >> seconds)) {
                continue;
            }
            const SystemTime at = from_unix_seconds(seconds);
            if (now - at <= window) {
                memory.m_first_seen.emplace(line.substr(tab + 1), at);
            }
        }
    }
    std::string text;
    for (const auto& [key, at] : memory.m_first_seen) {
        text += entry_line(key, at);
    }
    store::CsvFile file(memory.m_path);
    file.remove_stale_temp_files();
    if (auto written = file.replace(text); !written) {
        return written.error();
    }
    return memory;
}

bool DuplicateMemory::seen(const std::string& key, SystemTime now) const
{
    const auto found = m_first_seen.find(key);
    return found != m_first_seen.end() && now - found->second <= m_window && m_window.count() > 0;
}

Result<void> DuplicateMemory::remember(const std::string& key, SystemTime at)
{
    if (m_window.count() == 0) {
        return {};
    }
    if (auto appended = store::CsvFile(m_path).append(entry_line(key, at), ""); !appended) {
        return appended.error();
    }
    m_first_seen[key] = at;
    return {};
}

}  // namespace ble2garmin::pipeline
