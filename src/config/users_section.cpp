// [[users]]: the people who step on the scale. Every field but garmin_email and the device user keys
// (s400_profile_id) is required, because a guessed height or birth date would silently skew every
// body-composition value.

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "ble2garmin/advertisement.hpp"

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

// One user's id on a device, for the duplicate messages: two users with one id on one device could
// not be told apart (the reading would go to either).
struct DeviceUserClaim {
    std::string_view key;
    std::string address;  // empty: every device of the module
    std::int64_t id = 0;
    std::string position;
};

// The first claim that `claim` collides with: the same id under the same key on a device both name.
const DeviceUserClaim* colliding_claim(const std::vector<DeviceUserClaim>& claims,
                                       const DeviceUserClaim& claim)
{
    for (const auto& other : claims) {
        if (other.key == claim.key && other.id == claim.id &&
            (other.address.empty() || claim.address.empty() || other.address == claim.address)) {
            return &other;
        }
    }
    return nullptr;
}

bool record_claim(TableReader& reader, std::string_view reported_key, DeviceUserClaim claim,
                  std::vector<DeviceUserClaim>& claims)
{
    if (const auto* other = colliding_claim(claims, claim)) {
        reader.problem(reported_key,
                       std::to_string(claim.id) + " is already used by the user at " + other->position +
                           (other->address.empty() && claim.address.empty()
                                ? ""
                                : " (on " + (claim.address.empty() ? other->address : claim.address) + ")"));
        return false;
    }
    claims.push_back(std::move(claim));
    return true;
}

// `omron_slot = 1` (the id on every device of the module) or, for two such devices,
// `omron_slot = { "00:5F:BF:4A:11:22" = 1, "00:5F:BF:4A:33:44" = 2 }` (the id per device address).
void read_device_user_id(TableReader& reader, const DeviceUserKey& key, User& user,
                         std::vector<DeviceUserClaim>& claims)
{
    const auto* node = reader.node(key.key);
    if (node == nullptr) {
        return;
    }
    const auto* by_address = node->as_table();
    if (by_address == nullptr) {
        if (auto id = reader.integer(key.key, key.min_id, key.max_id)) {
            if (record_claim(reader, key.key, {key.key, "", *id, source_position(*node)}, claims)) {
                user.device_user_ids[std::string(key.key)] = static_cast<int>(*id);
            }
        }
        return;
    }
    TableReader per_device(*by_address, reader.qualified(key.key), reader.problems());
    std::map<std::string, int> ids;
    for (const auto& [name, value] : *by_address) {
        const std::string address = normalize_mac(name.str());
        if (address.empty()) {
            per_device.problem(name.str(), "names no Bluetooth address: the keys of '" +
                                               reader.qualified(key.key) +
                                               "' are device addresses such as \"AA:BB:CC:DD:EE:FF\"");
            continue;
        }
        auto id = per_device.integer(name.str(), key.min_id, key.max_id);
        if (!id) {
            continue;
        }
        if (ids.contains(address)) {
            per_device.problem(name.str(), "names the same device as another key of this table");
        } else if (record_claim(per_device, name.str(), {key.key, address, *id, source_position(value)},
                                claims)) {
            ids[address] = static_cast<int>(*id);
        }
    }
    if (by_address->empty()) {
        reader.problem(key.key, "names no device: write an id (" + std::to_string(key.min_id) + " – " +
                                    std::to_string(key.max_id) + ") or { \"<device address>\" = <id> }");
    } else if (!ids.empty()) {
        user.device_user_ids_by_address[std::string(key.key)] = std::move(ids);
    }
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
    std::map<std::string, std::string> seen_names;  // name → position of its first use
    std::vector<DeviceUserClaim> claims;
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
        for (const auto& key : device_user_keys) {
            read_device_user_id(reader, key, user, claims);
        }
        users.push_back(std::move(user));
    }
}

}  // namespace ble2garmin::config
