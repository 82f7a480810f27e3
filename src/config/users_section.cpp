// [[users]]: the people who step on the scale. Every field but garmin_email and the device user keys
// (s400_profile_id) is required, because a guessed height or birth date would silently skew every
// body-composition value.

#include <algorithm>
#include <chrono>
#include <map>

#include "config/sections.hpp"
#include "config/toml_checks.hpp"

namespace ble2garmin::config {
namespace {

using namespace std::chrono;

year_month_day today()
{
    return year_month_day{floor<days>(system_clock::now())};
}

void read_height(TableReader& reader, User& user)
{
    auto height = reader.number("height_cm");
    if (!height) {
        return;
    }
    if (*height > k_max_height_cm) {
        reader.problem("height_cm", "must be at most " + format_number(k_max_height_cm) + " cm (found " +
                                        format_number(*height) +
                                        "): the body-composition formulas are not valid for taller people");
    } else if (*height < k_min_height_cm) {
        reader.problem("height_cm", "must be at least " + format_number(k_min_height_cm) + " cm (found " +
                                        format_number(*height) + ")");
    } else {
        user.height_cm = *height;
    }
}

void read_birth_date(TableReader& reader, User& user)
{
    auto date = reader.date("birth_date");
    if (!date) {
        return;
    }
    if (date->year() < year{1900}) {
        reader.problem("birth_date", "must be 1900-01-01 or later");
    } else if (*date > today()) {
        reader.problem("birth_date", "must not be in the future");
    } else {
        user.birth_date = *date;
    }
}

void read_email(TableReader& reader, User& user)
{
    auto email = reader.string("garmin_email");
    if (!email) {
        return;
    }
    if (*email == k_placeholder_email) {
        reader.problem("garmin_email", "is export2garmin's placeholder \"" +
                                           std::string(k_placeholder_email) +
                                           "\": leave garmin_email out for a user without a Garmin account");
    } else if (email->find('@') == std::string::npos) {
        reader.problem("garmin_email", "must be an e-mail address (found \"" + *email + "\")");
    } else {
        user.garmin_email = *email;
    }
}

// The weight at `key` in `out` when it is a number above 0; false (with a problem when present).
bool positive_weight(TableReader& reader, std::string_view key, double& out)
{
    auto value = reader.number(key);
    if (!value) {
        return false;
    }
    if (!(*value > 0)) {
        reader.problem(key, "must be greater than 0 kg (found " + format_number(*value) + ")");
        return false;
    }
    out = *value;
    return true;
}

void read_weight_range(TableReader& reader, User& user)
{
    double min = 0;
    double max = 0;
    const bool have_min = positive_weight(reader, "min_weight_kg", min);
    const bool have_max = positive_weight(reader, "max_weight_kg", max);
    if (!have_min || !have_max) {
        return;
    }
    if (min > max) {
        reader.problem("min_weight_kg", "(" + format_number(min) + ") must not be greater than '" +
                                            reader.qualified("max_weight_kg") + "' (" + format_number(max) +
                                            ")");
        return;
    }
    user.min_weight_kg = min;
    user.max_weight_kg = max;
}

bool has_control_character(std::string_view text)
{
    return std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; });
}

}  // namespace

void read_users(const toml::node& node, std::span<const DeviceUserKey> device_user_keys,
                std::vector<User>& users, Problems& problems)
{
    const auto* entries = node.as_array();
    if (entries == nullptr) {
        problems.add(node, "'users' must be an array of tables, one [[users]] per person (found " +
                               std::string(type_name(node)) + ")");
        return;
    }
    std::vector<std::string_view> allowed_keys{"name",         "sex",           "height_cm",    "birth_date",
                                               "garmin_email", "min_weight_kg", "max_weight_kg"};
    for (const auto& key : device_user_keys) {
        allowed_keys.push_back(key.key);
    }
    // Name / (device key, id) → position of its first use, for the duplicate messages.
    std::map<std::string, std::string> seen_names;
    std::map<std::pair<std::string_view, std::int64_t>, std::string> seen_device_ids;
    for (const auto& entry : *entries) {
        const auto* table = entry.as_table();
        if (table == nullptr) {
            problems.add(
                entry, "each entry of 'users' must be a table (found " + std::string(type_name(entry)) + ")");
            continue;
        }
        TableReader reader(*table, "users", problems);
        reader.reject_unknown_keys(std::span<const std::string_view>(allowed_keys));
        (void)reader.require({"name", "sex", "height_cm", "birth_date", "min_weight_kg", "max_weight_kg"});
        User user;
        if (auto name = reader.string("name")) {
            if (name->empty()) {
                reader.problem("name", "must not be empty");
            } else if (has_control_character(*name)) {
                reader.problem("name",
                               "must not contain a tab, line break or other control character (it "
                               "appears in log lines and in the backup)");
            } else if (auto [it, inserted] = seen_names.emplace(*name, source_position(*reader.node("name")));
                       !inserted) {
                reader.problem("name", "\"" + *name + "\" is already used by the user at " + it->second);
            }
            user.name = *name;
        }
        if (auto sex = reader.choice("sex", {"male", "female"})) {
            user.sex = *sex == "female" ? Sex::female : Sex::male;
        }
        read_height(reader, user);
        read_birth_date(reader, user);
        read_email(reader, user);
        read_weight_range(reader, user);
        // Two users with one id on a device could not be told apart: the reading would go to either.
        for (const auto& key : device_user_keys) {
            auto id = reader.integer(key.key, key.min_id, key.max_id);
            if (!id) {
                continue;
            }
            if (auto [it, inserted] =
                    seen_device_ids.emplace(std::pair{key.key, *id}, source_position(*reader.node(key.key)));
                !inserted) {
                reader.problem(key.key,
                               std::to_string(*id) + " is already used by the user at " + it->second);
            } else {
                user.device_user_ids[std::string(key.key)] = static_cast<int>(*id);
            }
        }
        users.push_back(std::move(user));
    }
}

}  // namespace ble2garmin::config
