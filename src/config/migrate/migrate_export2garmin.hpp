#pragma once
// `ble2garmin migrate-config`: turns export2garmin's user/export2garmin.cfg into a commented
// ble2garmin TOML configuration (spec: shared/spec/export2garmin-compat.md §2 and §4).

#include <string>
#include <string_view>
#include <vector>

#include "ble2garmin/result.hpp"

namespace ble2garmin::config {

// A secret the migrated TOML refers to by file (the S400 bindkey): to be written next to the TOML,
// mode 0600.
struct SecretFile {
    std::string name;     // relative: resolved next to the configuration file
    std::string content;  // with a final newline
};

struct MigrationResult {
    std::string toml;                 // parses with config::parse(); secrets appear only here
    std::vector<std::string> notes;   // what was not migrated or changed meaning, one sentence each
    std::vector<SecretFile> secrets;  // only with MigrationOptions::secrets_in_files
};

struct MigrationOptions {
    // True when the TOML goes to a file: secrets then go to files beside it (the TOML names them);
    // false (stdout): they are written into the TOML itself.
    bool secrets_in_files = false;
};

// Reads `cfg_text` without running any of it (user tuples are parsed, never evaluated). Every line
// that is not migrated gets a note. An Error when the text holds no export2garmin setting at all.
Result<MigrationResult> migrate_export2garmin(std::string_view cfg_text, std::string_view source_name,
                                              const MigrationOptions& options = {});

}  // namespace ble2garmin::config
