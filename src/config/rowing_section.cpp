// [rowing]: the watch folder for rowing sessions (docs/rowing.md, docs/configuration.md).

#include <algorithm>

#include "config/sections.hpp"
#include "config/toml_checks.hpp"
#include "rowing/activity_builder.hpp"

namespace ble2garmin::config {

void read_rowing(const toml::node& node, RowingConfig& rowing, Problems& problems)
{
    const auto* table = node.as_table();
    if (table == nullptr) {
        problems.add(node, "'rowing' must be a table (found " + std::string(type_name(node)) + ")");
        return;
    }
    TableReader reader(*table, "rowing", problems);
    reader.reject_unknown_keys({"watch_dir", "user", "split_m"});
    if (auto directory = reader.non_empty_string("watch_dir")) {
        if (std::filesystem::path(*directory).is_absolute()) {
            rowing.watch_dir = *directory;
        } else {
            reader.problem("watch_dir", "must be an absolute path (found \"" + *directory + "\")");
        }
    }
    if (auto user = reader.non_empty_string("user")) {
        rowing.user = *user;
    }
    if (auto split = reader.number("split_m")) {
        if (*split >= rowing::k_min_split_m && *split <= rowing::k_max_split_m) {
            rowing.split_m = *split;
        } else {
            reader.problem("split_m", "must be between " + format_number(rowing::k_min_split_m) + " and " +
                                          format_number(rowing::k_max_split_m) + " (found " +
                                          format_number(*split) + ")");
        }
    }
    if (!rowing.watch_dir.empty() && rowing.user.empty()) {
        reader.require({"user"});
    }
}

void check_rowing_user(const toml::node& node, const RowingConfig& rowing, const std::vector<User>& users,
                       Problems& problems)
{
    const auto* table = node.as_table();
    if (table == nullptr || rowing.user.empty()) {
        return;
    }
    TableReader reader(*table, "rowing", problems);
    const auto user =
        std::find_if(users.begin(), users.end(), [&](const User& u) { return u.name == rowing.user; });
    if (user == users.end()) {
        reader.problem("user", "names no [[users]] entry (found \"" + rowing.user + "\")");
    } else if (is_no_account(user->garmin_email)) {
        reader.problem("user", "names a user without a garmin_email (\"" + rowing.user + "\")");
    }
}

}  // namespace ble2garmin::config
