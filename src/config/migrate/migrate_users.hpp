#pragma once
// export2garmin's `miscale_export_<name>=(sex, height, "dd-mm-yyyy", email, max, min)` lines as
// ble2garmin [[users]] tables (spec §2 and §4).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/migrate/shell_cfg.hpp"

namespace ble2garmin::config {

inline constexpr std::string_view k_user_key_prefix = "miscale_export_";

// The [[users]] tables of every user line, in file order (export2garmin's first-match order), each
// validated with the loader; a user that cannot be migrated is written commented out with a note.
// `omron_slots` (garmin_email → the Omron cuff's user slot, from omron_export_user1/2): the first user
// with that e-mail gets `omron_slot`, and the entry is removed (what is left matched nobody).
std::string migrate_users(const std::vector<ShellAssignment>& user_lines, std::vector<std::string>& notes,
                          std::map<std::string, int>& omron_slots);

}  // namespace ble2garmin::config
