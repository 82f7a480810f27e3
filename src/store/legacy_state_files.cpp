#include "store/legacy_state_files.hpp"

#include "fs/line_reader.hpp"
#include "log/logging.hpp"
#include "store/number_format.hpp"

namespace ble2garmin::store {

std::optional<std::pair<std::int64_t, std::string_view>> parse_tab_line(std::string_view line)
{
    const auto tab = line.find('\t');
    if (tab == std::string_view::npos || tab + 1 >= line.size()) {
        return std::nullopt;
    }
    const auto number = parse_integer(line.substr(0, tab));
    if (!number) {
        return std::nullopt;
    }
    return std::pair{*number, line.substr(tab + 1)};
}

Result<LegacyStateFiles> read_legacy_state_files(const std::filesystem::path& state_directory)
{
    LegacyStateFiles legacy;
    for (const char* name : {k_legacy_seen_file, k_legacy_owners_file}) {
        auto reader = fs::LineReader::open(state_directory / name);
        if (!reader) {
            return reader.error();
        }
        const bool seen_file = std::string_view(name) == k_legacy_seen_file;
        fs::Line line;
        while (reader->next(line)) {
            const auto parsed = parse_tab_line(line.text);
            if (!parsed) {
                continue;
            }
            JournalEntry entry;
            entry.file = BackupKind::scale;
            if (seen_file) {
                entry.key = std::string(parsed->second);
                entry.seen = parsed->first;
                entry.row_unknown = true;
            } else {
                entry.row = parsed->first;
                entry.user = std::string(parsed->second);
            }
            legacy.entries.push_back(std::move(entry));
        }
        if (reader->error()) {
            return *reader->error();
        }
    }
    return legacy;
}

void remove_legacy_state_files(const std::filesystem::path& state_directory)
{
    for (const char* name : {k_legacy_seen_file, k_legacy_owners_file}) {
        std::error_code error;
        if (std::filesystem::remove(state_directory / name, error); error) {
            logging::get("store")->warn("cannot remove a state file of an earlier version path={} error={}",
                                        (state_directory / name).string(), error.message());
        }
    }
}

}  // namespace ble2garmin::store
