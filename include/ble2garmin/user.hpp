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
    // The user's own id on devices, by DeviceUserKey::key ("s400_profile_id" → 1); it decides before
    // the weight range for readings that carry that device's user (pipeline/user_resolver.hpp).
    std::map<std::string, int, std::less<>> device_user_ids;

    std::optional<int> device_user_id(std::string_view key) const
    {
        const auto found = device_user_ids.find(key);
        return found == device_user_ids.end() ? std::nullopt : std::optional<int>(found->second);
    }
};

}  // namespace ble2garmin
