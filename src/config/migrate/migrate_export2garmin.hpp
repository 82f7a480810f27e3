#pragma once
// `ble2garmin migrate-config`: turns export2garmin's user/export2garmin.cfg into a commented
// ble2garmin TOML configuration (spec: shared/spec/export2garmin-compat.md §2 and §4).

#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/result.hpp"

namespace ble2garmin::config {

struct MigrationResult {
    std::string toml;                // parses with config::parse(); secrets appear only here
    std::vector<std::string> notes;  // what was not migrated or changed meaning, one sentence each
};

// Reads `cfg_text` without running any of it (user tuples are parsed, never evaluated). Every line
// that is not migrated gets a note. An Error when the text holds no export2garmin setting at all.
Result<MigrationResult> migrate_export2garmin(std::string_view cfg_text, std::string_view source_name);

}  // namespace ble2garmin::config
