#pragma once
// The state files of ble2garmin before the measurement journal, read once and folded into it:
//
//   seen_readings.tsv    <unix seconds received>\t<device address|fingerprint>   the duplicate memory
//   miscale_owners.tsv   <Unix time T of the row>\t<user name>                    who a row belongs to
//
// Lines that do not parse (a torn last line) are skipped.

#include <filesystem>
#include <string_view>
#include <vector>

#include "ble2garmin/result.hpp"

#include "store/measurement_journal.hpp"

namespace ble2garmin::store {

inline constexpr const char* k_legacy_seen_file = "seen_readings.tsv";
inline constexpr const char* k_legacy_owners_file = "miscale_owners.tsv";

struct LegacyStateFiles {
    std::vector<JournalEntry> entries;  // seen readings (row unknown), then row owners (no key)
};

// Both files of `state_directory`, when they exist. An Error when one is a symbolic link or cannot
// be read.
Result<LegacyStateFiles> read_legacy_state_files(const std::filesystem::path& state_directory);

// The (number, text) of one "<integer>\t<text>" line; empty when it is not one.
std::optional<std::pair<std::int64_t, std::string_view>> parse_tab_line(std::string_view line);

// Deletes both files (after their content is in the journal); failures are only logged.
void remove_legacy_state_files(const std::filesystem::path& state_directory);

}  // namespace ble2garmin::store
