#pragma once
// A person who steps on the scale, from `[[users]]` in the config.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ble2garmin {

// export2garmin's example account, which its users keep for "no Garmin account" (it tests
// "contains", so "email@email.com " counts too).
inline constexpr std::string_view k_placeholder_email = "email@email.com";

// True for an e-mail field that names no Garmin account: empty or export2garmin's placeholder.
inline bool is_no_account(std::string_view email)
{
    return email.empty() || email.find(k_placeholder_email) != std::string_view::npos;
}

enum class Sex { male, female };

// A [[users]] key with which a person claims their user on a device — the S400's profile today, a
// cuff's user slot next. Each device module declares its own (DeviceModuleDescriptor::user_key);
// the config loader accepts exactly the declared keys, and readings name theirs (DeviceUser).
struct DeviceUserKey {
    std::string_view key;  // e.g. "s400_profile_id"; empty: the device has no users of its own
    int max_id = 0;        // ids are min_id…max_id
    int min_id = 0;
};

struct User {
    std::string name;
    Sex sex = Sex::male;
    double height_cm = 0;
    std::chrono::year_month_day birth_date{};
    std::string garmin_email;  // empty: readings are backed up but never uploaded
    double min_weight_kg = 0;  // inclusive
    double max_weight_kg = 0;  // inclusive
    // The user's own id on devices, by DeviceUserKey::key ("s400_profile_id" → 1): on every device of
    // that module (`omron_slot = 1`) …
    std::map<std::string, int, std::less<>> device_user_ids;
    // … or on named devices only, by normalised address (`omron_slot = { "00:5F:BF:4A:11:22" = 1 }`:
    // two cuffs, each with its own slots). A key is in one map or the other, never both. The id
    // decides before the weight range for readings that carry that device's user
    // (pipeline/user_resolver.hpp).
    std::map<std::string, std::map<std::string, int>, std::less<>> device_user_ids_by_address;

    // The user's id under `key` on the device at `address` (normalised; empty: no particular device,
    // which only an id on every device answers).
    std::optional<int> device_user_id(std::string_view key, std::string_view address = {}) const
    {
        if (const auto found = device_user_ids.find(key); found != device_user_ids.end()) {
            return found->second;
        }
        const auto by_address = device_user_ids_by_address.find(key);
        if (by_address == device_user_ids_by_address.end()) {
            return std::nullopt;
        }
        const auto found = by_address->second.find(std::string(address));
        return found == by_address->second.end() ? std::nullopt : std::optional<int>(found->second);
    }

    // True when the user names their id on some device (any key).
    bool has_device_user_ids() const
    {
        return !device_user_ids.empty() || !device_user_ids_by_address.empty();
    }
};

}  // namespace ble2garmin
