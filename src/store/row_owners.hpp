#pragma once
// Who each backup row belongs to: `miscale_owners.tsv` in the state directory, one line per row,
//
//   <Unix time T of the row>\t<user name>\n
//
// export2garmin's pending rows (`to_import;T;W;Z`) carry no user: it chose the user by weight
// range when uploading. ble2garmin decides when the reading is recorded — by the S400's profile id
// when there is one, which the CSV cannot hold — and writes the decision here, so the Garmin upload
// later sends the row to the person the scale recognised. Rows without a line (written by
// export2garmin, or before this file existed) fall back to the weight-range rule at upload time.
// Appended and fsync'ed like the backup; a later line for the same T wins. Lines that do not parse
// are skipped (logged once at open).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>

#include "ble2garmin/result.hpp"

#include "store/csv_file.hpp"

namespace ble2garmin::store {

// Its name in the state directory.
inline constexpr const char* k_row_owners_file = "miscale_owners.tsv";

class RowOwners {
public:
    // Reads `path` when it exists; an Error when it exists but cannot be read.
    static Result<RowOwners> open(std::filesystem::path path, FileSync& sync = system_file_sync());

    // Records that the row with `unix_time` belongs to `user_name` (no tab or line break in it).
    Result<void> remember(std::int64_t unix_time, const std::string& user_name);
    // The user name recorded for the row with `unix_time`, if any.
    std::optional<std::string> owner_of(std::int64_t unix_time) const;

private:
    explicit RowOwners(CsvFile file) : m_file(std::move(file)) {}

    CsvFile m_file;
    std::unordered_map<std::int64_t, std::string> m_owners;
};

}  // namespace ble2garmin::store
