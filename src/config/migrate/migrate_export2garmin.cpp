// export2garmin.cfg → ble2garmin TOML. Bash sources the cfg (a later line overrides an earlier one)
// while Python collects every `miscale_export_` line as a user in file order; both are kept here.

#include "config/migrate/migrate_export2garmin.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "ble2garmin/advertisement.hpp"

#include "config/loader.hpp"
#include "config/migrate/migrate_users.hpp"
#include "config/migrate/shell_cfg.hpp"
#include "config/toml_checks.hpp"

namespace ble2garmin::config {
namespace {

// Which part of export2garmin a key belongs to; decides where it goes or which note explains it.
enum class Family { system, adapter, garmin, miscale, mqtt, s400, omron };

struct KnownKey {
    std::string_view key;
    Family family;
};

// Every key of spec §2 except the user lines.
constexpr KnownKey k_known_keys[] = {
    {"switch_wifi_watchdog", Family::system},
    {"switch_temp_path", Family::system},
    {"switch_bt", Family::system},
    {"ble_arg_hci", Family::adapter},
    {"ble_arg_hci2mac", Family::adapter},
    {"ble_arg_mac", Family::adapter},
    {"ble_adapter_time", Family::adapter},
    {"ble_adapter_check", Family::adapter},
    {"ble_adapter_repeat", Family::adapter},
    {"switch_s400_hci", Family::adapter},
    {"s400_arg_hci", Family::adapter},
    {"s400_arg_hci2mac", Family::adapter},
    {"s400_arg_mac", Family::adapter},
    {"tokens_is_cn", Family::garmin},
    {"ble_miscale_mac", Family::miscale},
    {"switch_miscale", Family::miscale},
    {"miscale_time_offset", Family::miscale},
    {"miscale_time_unsync", Family::miscale},
    {"miscale_time_check", Family::miscale},
    {"switch_mqtt", Family::mqtt},
    {"miscale_mqtt_user", Family::mqtt},
    {"miscale_mqtt_passwd", Family::mqtt},
    {"switch_s400", Family::s400},
    {"ble_miscale_key", Family::s400},
    {"s400_pulse", Family::s400},
    {"switch_omron", Family::omron},
    {"omron_omblepy_model", Family::omron},
    {"omron_omblepy_mac", Family::omron},
    {"omron_omblepy_time", Family::omron},
    {"omron_omblepy_debug", Family::omron},
    {"omron_omblepy_all", Family::omron},
    {"omron_export_user1", Family::omron},
    {"omron_export_user2", Family::omron},
    {"omron_export_category", Family::omron},
};

// Values that must never appear in a note (they may still be kept in the TOML, which is the
// user's own file).
constexpr std::string_view k_secret_keys[] = {"ble_miscale_key", "miscale_mqtt_passwd"};

constexpr std::string_view k_mi_scale_module = "mi_scale";

std::optional<Family> family_of(std::string_view key)
{
    for (const auto& known : k_known_keys) {
        if (known.key == key) {
            return known.family;
        }
    }
    return std::nullopt;
}

std::string line_label(int line)
{
    return "line " + std::to_string(line);
}

constexpr std::string_view k_s400_module = "s400";
constexpr std::string_view k_omron_module = "omron";
// The device user key migrate-config writes (as the Omron module declares it).
constexpr DeviceUserKey k_migrated_user_keys[] = {{"omron_slot", 2, 1}};
// The bindkey file's name beside the migrated TOML (the name docs/devices/s400.md uses for a systemd
// credential too).
constexpr std::string_view k_bindkey_file_name = "s400_bindkey";

// A bindkey as export2garmin holds it: 32 hex digits.
bool is_bindkey(std::string_view text)
{
    return text.size() == 32 &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

class Migration {
public:
    Migration(std::string_view source_name, const MigrationOptions& options)
        : m_source_name(source_name), m_options(options)
    {
    }

    Result<MigrationResult> run(const ShellCfg& cfg)
    {
        collect(cfg);
        if (m_values.empty() && m_user_lines.empty()) {
            return make_error(std::string(m_source_name) +
                              ": no export2garmin setting found (expected lines such as switch_miscale=on)");
        }
        write_header();
        write_pipeline();
        write_bluetooth();
        m_omron_on = switch_on("switch_omron", false);
        auto omron_slots = m_omron_on ? omron_slots_by_email() : std::map<std::string, int>{};
        const std::string users = migrate_users(m_user_lines, m_notes, omron_slots);
        write_garmin(users);
        m_out << users;
        write_mi_scale();
        write_s400();
        if (m_omron_on) {
            write_omron(omron_slots);
        }
        write_mqtt();
        note_unused_families();
        try {
            (void)parse(
                m_out.str(), "migrated",
                std::initializer_list<std::string_view>{k_mi_scale_module, k_s400_module, k_omron_module},
                k_migrated_user_keys);
        } catch (const ConfigError& error) {
            return make_error("the migrated configuration does not load (please report this): " +
                              std::string(error.what()));
        }
        return MigrationResult{m_out.str(), std::move(m_notes), std::move(m_secrets)};
    }

private:
    void collect(const ShellCfg& cfg)
    {
        for (const auto& problem : cfg.problems) {
            m_notes.push_back(line_label(problem.line) + ": not understood (" + problem.reason + ")" +
                              (problem.key.empty() ? "" : " for '" + problem.key + "'") + ", ignored");
        }
        for (const auto& assignment : cfg.assignments) {
            if (assignment.key.rfind(k_user_key_prefix, 0) == 0) {
                m_user_lines.push_back(assignment);
            } else if (!family_of(assignment.key)) {
                m_notes.push_back(line_label(assignment.line) + ": unknown key '" + assignment.key +
                                  "', ignored");
            } else {
                if (auto previous = m_values.find(assignment.key); previous != m_values.end()) {
                    m_notes.push_back(line_label(assignment.line) + ": '" + assignment.key + "' repeats " +
                                      line_label(previous->second.line) +
                                      "; the later value is used, as bash does");
                }
                m_values[assignment.key] = assignment;
            }
        }
    }

    const ShellAssignment* find(std::string_view key) const
    {
        auto it = m_values.find(std::string(key));
        return it == m_values.end() ? nullptr : &it->second;
    }

    // on/off, True/False, yes/no, 1/0 in any case; `fallback` (with a note) for anything else.
    bool switch_on(std::string_view key, bool fallback)
    {
        const auto* entry = find(key);
        if (entry == nullptr) {
            return fallback;
        }
        std::string value = entry->value;
        std::transform(value.begin(), value.end(), value.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (value == "on" || value == "true" || value == "yes" || value == "1") {
            return true;
        }
        if (value == "off" || value == "false" || value == "no" || value == "0") {
            return false;
        }
        m_notes.push_back(line_label(entry->line) + ": '" + std::string(key) + "' is neither on nor off ('" +
                          entry->value + "'); taken as " + (fallback ? "on" : "off"));
        return fallback;
    }

    std::optional<long long> integer(std::string_view key)
    {
        const auto* entry = find(key);
        if (entry == nullptr) {
            return std::nullopt;
        }
        long long value = 0;
        const auto& text = entry->value;
        const char* begin = text.data() + (text.size() > 1 && text.front() == '+' ? 1 : 0);
        auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
        if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
            m_notes.push_back(line_label(entry->line) + ": '" + std::string(key) +
                              "' is not a whole number ('" + text + "'), the default is kept");
            return std::nullopt;
        }
        return value;
    }

    std::string value_or(std::string_view key, std::string_view fallback) const
    {
        const auto* entry = find(key);
        return entry == nullptr ? std::string(fallback) : entry->value;
    }

    void write_header()
    {
        m_out
            << "# ble2garmin configuration migrated from " << m_source_name
            << " by `ble2garmin migrate-config`.\n"
            << "# Review it, save it as /etc/ble2garmin/ble2garmin.toml and run `ble2garmin check-config`.\n"
            << "# Every key is described in docs/configuration.md; a key left out keeps its default.\n"
            << "\n[general]\n"
            << "# state_directory = \"/var/lib/ble2garmin\"\n"
            << "# timezone = \"\"  # empty: the system's zone, as export2garmin used\n"
            << "\n[storage]\n"
            << "# export2garmin kept its backups next to export2garmin.cfg. To keep their history, copy "
               "them\n"
            << "# into general.state_directory or point these keys at them:\n";
        std::error_code error;
        const auto source = std::filesystem::absolute(std::filesystem::path(m_source_name), error);
        const auto folder = error ? std::filesystem::path("/path/to/export2garmin/user")
                                  : source.lexically_normal().parent_path();
        m_out << "# miscale_csv = " << toml_string((folder / "miscale_backup.csv").string()) << "\n"
              << "# omron_csv = " << toml_string((folder / "omron_backup.csv").string()) << "\n";
        if (const auto* category = find("omron_export_category")) {
            m_migrated.insert(category->key);
            std::string value = category->value;
            std::transform(value.begin(), value.end(), value.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (value == "eu" || value == "us") {
                m_out << "# omron_export_category: the Category column of blood-pressure rows\n"
                      << "blood_pressure_category = " << toml_string(value) << "\n";
            } else {
                m_notes.push_back(line_label(category->line) +
                                  ": omron_export_category is neither eu nor us ('" + category->value +
                                  "'); the default eu is kept");
            }
        }
    }

    // export2garmin's adapter choice: the MAC with ble_arg_hci2mac=on, else the index ble_arg_hci.
    void write_bluetooth()
    {
        std::string adapter;
        const auto* by_mac = find("ble_arg_hci2mac");
        if (by_mac != nullptr && switch_on("ble_arg_hci2mac", false)) {
            const std::string mac = normalize_mac(value_or("ble_arg_mac", ""));
            if (!mac.empty() && mac != "00:00:00:00:00:00") {
                adapter = mac;
                m_migrated.insert({"ble_arg_hci2mac", "ble_arg_mac", "ble_arg_hci"});
            } else {
                m_notes.push_back(line_label(by_mac->line) +
                                  ": ble_arg_hci2mac=on without an adapter address in ble_arg_mac; "
                                  "ble_arg_hci decides");
            }
        }
        if (adapter.empty()) {
            if (const auto index = integer("ble_arg_hci"); index && *index >= 0) {
                adapter = "hci" + std::to_string(*index);
                m_migrated.insert({"ble_arg_hci", "ble_arg_hci2mac", "ble_arg_mac"});
            }
        }
        if (adapter.empty()) {
            return;
        }
        m_out << "\n[bluetooth]\n"
              << "# ble_arg_hci / ble_arg_hci2mac + ble_arg_mac: the adapter export2garmin scanned with\n"
              << "adapter = " << toml_string(adapter) << "\n";
    }

    // Uploads are on when any user has a Garmin account: that is what the export2garmin user had.
    void write_garmin(const std::string& users)
    {
        const bool any_account =
            users.starts_with("garmin_email = ") || users.find("\ngarmin_email = ") != std::string::npos;
        bool china = false;
        if (const auto* cn = find("tokens_is_cn")) {
            china = switch_on("tokens_is_cn", false);
            m_migrated.insert(cn->key);
        }
        if (!any_account && !china) {
            return;
        }
        m_out << "\n[garmin]\n";
        if (any_account) {
            m_out << "# Users below have a Garmin account. Before the first upload, import export2garmin's\n"
                  << "# tokens (`ble2garmin tokens import <export2garmin>/user/<email> --email <email>`) or\n"
                  << "# log in (`ble2garmin login --email <email>`); see docs/garmin.md.\n"
                  << "enabled = true\n";
            m_notes.push_back(
                "uploads are on ([garmin] enabled = true) because users have a Garmin account: import "
                "export2garmin's tokens with `ble2garmin tokens import` or run `ble2garmin login` once per "
                "account");
        }
        if (china) {
            m_out << "# tokens_is_cn=True: the accounts are garmin.cn accounts\n"
                  << "domain = \"garmin.cn\"\n";
        }
    }

    void write_pipeline()
    {
        m_out << "\n[pipeline]\n";
        if (auto offset = integer("miscale_time_offset")) {
            m_out << "# miscale_time_offset: seconds added to the scale's clock\n"
                  << "scale_clock_offset_seconds = " << *offset << "\n";
        }
        if (auto unsync = integer("miscale_time_unsync")) {
            if (*unsync > 0) {
                m_out
                    << "# miscale_time_unsync: export2garmin dropped a reading whose scale clock was further "
                       "off;\n"
                    << "# ble2garmin (scale_clock = \"auto\") uses the time it received the reading instead\n"
                    << "scale_clock_tolerance_seconds = " << *unsync << "\n";
            } else {
                m_notes.push_back(line_label(find("miscale_time_unsync")->line) +
                                  ": miscale_time_unsync must be above 0, the default 1200 s is kept");
            }
        }
        if (const auto* check = find("miscale_time_check")) {
            m_notes.push_back(
                line_label(check->line) + ": miscale_time_check=" + check->value +
                " is not migrated: ble2garmin recognises a repeated reading by its identity (scale "
                "time, weight) within pipeline.duplicate_window_seconds (default 1800 s)");
        }
    }

    void write_mi_scale()
    {
        m_miscale_on = switch_on("switch_miscale", false);
        if (!m_miscale_on) {
            return;
        }
        const std::string raw = value_or("ble_miscale_mac", "00:00:00:00:00:00");
        const std::string mac = normalize_mac(raw);
        if (switch_on("switch_s400", false) && s400_missing().empty()) {
            // export2garmin reads ble_miscale_mac as an S400 whenever switch_s400=on (spec §3).
            m_notes.push_back(
                "switch_miscale=on and switch_s400=on share ble_miscale_mac; export2garmin read it as the "
                "S400, so [devices.s400] is active and [devices.mi_scale] is written commented out");
            m_out << "\n# Mi Body Composition Scale 2 (switch_miscale=on): the address is the S400's below\n"
                  << "# [devices.mi_scale]\n# mac = " << toml_string(mac) << "\n";
            return;
        }
        if (mac.empty() || mac == "00:00:00:00:00:00") {
            m_notes.push_back("switch_miscale=on but ble_miscale_mac is not a scale address ('" + raw +
                              "'): [devices.mi_scale] is written commented out, set its mac");
            m_out << "\n# Mi Body Composition Scale 2 (switch_miscale=on): set the scale's address\n"
                  << "# [devices.mi_scale]\n# mac = \"AA:BB:CC:DD:EE:FF\"\n";
            return;
        }
        m_out << "\n# Mi Body Composition Scale 2 (switch_miscale=on, ble_miscale_mac)\n"
              << "[devices.mi_scale]\nmac = " << toml_string(mac) << "\n";
    }

    // Why the S400 cannot be active (empty when it can): its address or bindkey is unusable.
    std::string s400_missing() const
    {
        const std::string raw_mac = value_or("ble_miscale_mac", "");
        const std::string mac = normalize_mac(raw_mac);
        if (mac.empty() || mac == "00:00:00:00:00:00") {
            return "ble_miscale_mac is not a scale address ('" + raw_mac + "')";
        }
        if (!is_bindkey(value_or("ble_miscale_key", ""))) {
            return "ble_miscale_key is not a bindkey (32 hex digits)";
        }
        return {};
    }

    // The S400 shares ble_miscale_mac with the Mi scale in export2garmin; it is active when the
    // address and the bindkey are usable. The bindkey goes to a file beside the TOML when there is one.
    void write_s400()
    {
        m_s400_on = switch_on("switch_s400", false);
        if (!m_s400_on) {
            return;
        }
        m_migrated.insert({"switch_s400", "ble_miscale_key"});
        const std::string mac = normalize_mac(value_or("ble_miscale_mac", ""));
        const std::string bindkey = value_or("ble_miscale_key", "");
        const std::string missing = s400_missing();
        m_out
            << "\n# Xiaomi Body Composition Scale S400 (switch_s400=on, ble_miscale_mac, ble_miscale_key)\n";
        if (!missing.empty()) {
            m_notes.push_back("switch_s400=on but " + missing +
                              ": [devices.s400] is written commented out, set its mac and bindkey "
                              "(docs/devices/s400.md)");
            m_out << "# [devices.s400]\n# mac = \"AA:BB:CC:DD:EE:FF\"\n# bindkey_file = \""
                  << k_bindkey_file_name << "\"\n";
            return;
        }
        m_out << "[devices.s400]\nmac = " << toml_string(mac) << "\n";
        if (m_options.secrets_in_files) {
            m_out << "# the bindkey, in a file beside this one (mode 0600)\n"
                  << "bindkey_file = " << toml_string(std::string(k_bindkey_file_name)) << "\n";
            m_secrets.push_back({std::string(k_bindkey_file_name), bindkey + "\n"});
        } else {
            m_out << "# a secret: better in a file of its own, see bindkey_file in docs/devices/s400.md\n"
                  << "bindkey = " << toml_string(bindkey) << "\n";
        }
        std::string note = "switch_s400=on: [devices.s400] is active with ble_miscale_mac and the bindkey";
        if (m_options.secrets_in_files) {
            note +=
                " (written to " + std::string(k_bindkey_file_name) + " beside the configuration, mode 0600)";
        }
        if (const auto* pulse = find("s400_pulse")) {
            m_migrated.insert(pulse->key);
            note +=
                "; s400_pulse is not migrated: the heart rate is kept in the CSV, never sent as an "
                "invented blood pressure";
        }
        m_notes.push_back(note);
    }

    // Devices of export2garmin that ble2garmin does not read yet: kept as comments for later.
    // switch_mqtt=on: export2garmin's ESP32 feed (topic `data` on the local broker) as [mqtt] with
    // esp32. The password is not copied into the TOML (a secret in a file of its own, mode 0600).
    void write_mqtt()
    {
        m_mqtt_on = switch_on("switch_mqtt", false);
        if (!m_mqtt_on) {
            return;
        }
        m_out << "\n# The Mi scale through an ESP32 and MQTT (switch_mqtt=on in export2garmin.cfg): see\n"
              << "# docs/mqtt.md. Every measurement is published for Home Assistant as well.\n"
              << "[mqtt]\nhost = \"localhost\"\n";
        if (const auto* user = find("miscale_mqtt_user")) {
            m_migrated.insert(user->key);
            m_out << "username = " << toml_string(user->value) << "\n";
        }
        m_out << "esp32 = true\n";
        if (const auto* password = find("miscale_mqtt_passwd")) {
            m_migrated.insert(password->key);
            m_out << "# the broker password: write miscale_mqtt_passwd into this file (chmod 600), then\n"
                  << "# password_file = \"/etc/ble2garmin/mqtt-password\"\n";
            m_notes.push_back(
                "switch_mqtt=on: [mqtt] takes in the ESP32 feed (esp32 = true); the broker password is not "
                "copied: put it in a file of mode 0600 and set password_file (docs/mqtt.md)");
        } else {
            m_notes.push_back("switch_mqtt=on: [mqtt] takes in the ESP32 feed (esp32 = true)");
        }
        if (const auto* offset = find("miscale_time_offset"); offset != nullptr && offset->value != "0") {
            m_notes.push_back(
                "the ESP32's time is taken as UTC: drop the miscale_time_offset compensation if "
                "it was there for the ESP32 feed");
        }
    }

    // export2garmin's Omron slot accounts (omron_export_user1/2): e-mail → slot, for the users with
    // those e-mails (migrate_users writes their omron_slot). A placeholder slot stays unclaimed: its
    // records are kept `unassigned`, as export2garmin kept them without uploading.
    std::map<std::string, int> omron_slots_by_email()
    {
        std::map<std::string, int> slots;
        for (int slot : {1, 2}) {
            const auto* entry = find("omron_export_user" + std::to_string(slot));
            if (entry == nullptr) {
                continue;
            }
            m_migrated.insert(entry->key);
            if (is_no_account(entry->value) || entry->value.find('@') == std::string::npos) {
                m_notes.push_back(
                    entry->key + " is export2garmin's placeholder: the records of the cuff's slot " +
                    std::to_string(slot) + " are kept in omron_backup.csv as unassigned, not uploaded");
            } else if (!slots.emplace(entry->value, slot).second) {
                m_notes.push_back(entry->key +
                                  " names the account of omron_export_user1 too: a user has one " +
                                  "omron_slot, so slot 2's records are kept unassigned; measure on slot 1");
            }
        }
        return slots;
    }

    // switch_omron=on: [devices.omron] with the cuff's address and model (omblepy's probe, timing and
    // "all records" switches have no equivalent: the daemon listens all the time and remembers what it
    // downloaded).
    void write_omron(const std::map<std::string, int>& unmatched_slots)
    {
        const std::string mac = normalize_mac(value_or("omron_omblepy_mac", ""));
        std::string model = value_or("omron_omblepy_model", "");
        std::transform(model.begin(), model.end(), model.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        for (auto key : {"omron_omblepy_mac", "omron_omblepy_model", "omron_omblepy_time",
                         "omron_omblepy_all", "omron_omblepy_debug"}) {
            if (find(key) != nullptr) {
                m_migrated.insert(key);
            }
        }
        const bool usable =
            !mac.empty() && mac != "00:00:00:00:00:00" && !model.empty() && model != "hem-xxxxt";
        m_out << "\n# Omron blood-pressure monitor (switch_omron=on in export2garmin.cfg); the users' "
                 "omron_slot\n"
              << "# comes from omron_export_user1/2. See docs/devices/omron.md.\n";
        const std::string prefix = usable ? "" : "# ";
        m_out << prefix << "[devices.omron]\n"
              << prefix << "mac = " << toml_string(mac.empty() ? "00:5F:BF:00:00:00" : mac) << "\n"
              << prefix << "model = " << toml_string(model.empty() ? "hem-7155t" : model) << "\n";
        if (usable) {
            m_notes.push_back(
                "switch_omron=on: [devices.omron] is active with omron_omblepy_mac and "
                "omron_omblepy_model; the cuff keeps its pairing (same key as omblepy), and the first "
                "download reads every record it holds, later ones only the new records (no "
                "omron_omblepy_all needed, nothing written to the cuff)");
        } else {
            m_notes.push_back(
                "switch_omron=on but omron_omblepy_mac or omron_omblepy_model is still the "
                "placeholder: [devices.omron] is written commented out; `ble2garmin omron pair "
                "--model <model>` pairs the cuff and prints both");
        }
        if (find("omron_omblepy_time") != nullptr || find("omron_omblepy_debug") != nullptr) {
            m_notes.push_back(
                "omron_omblepy_time and omron_omblepy_debug are not needed: the daemon connects "
                "when the cuff advertises; `[general] log_level = \"debug\"` logs every frame");
        }
        for (const auto& [email, slot] : unmatched_slots) {
            m_notes.push_back(
                "omron_export_user" + std::to_string(slot) + " is the account of no miscale_export_ " +
                "user: add a [[users]] entry for the person who measures on slot " + std::to_string(slot) +
                " with garmin_email = \"" + email + "\" and omron_slot = " + std::to_string(slot) +
                " (until then the slot's records are kept unassigned)");
        }
    }

    // One note per group of keys that have no ble2garmin equivalent, naming the keys.
    void note_unused_families()
    {
        std::map<Family, std::string> present;
        for (const auto& [key, entry] : m_values) {
            if (m_migrated.contains(key)) {
                continue;
            }
            const Family family = *family_of(key);
            const bool secret =
                std::find(std::begin(k_secret_keys), std::end(k_secret_keys), key) != std::end(k_secret_keys);
            auto& list = present[family];
            list += list.empty() ? "" : ", ";
            list += secret ? key : key + "=" + entry.value;
        }
        if (present.count(Family::system) != 0) {
            m_notes.push_back(
                "not needed, not migrated: " + present[Family::system] +
                " (systemd supervises ble2garmin, it keeps no temporary files and retries pending "
                "uploads by itself)");
        }
        if (present.count(Family::adapter) != 0) {
            m_notes.push_back(
                "adapter settings not migrated: " + present[Family::adapter] +
                " (ble2garmin listens continuously through BlueZ with one adapter for every device, so "
                "scan windows, a second adapter for the S400, adapter checks and restarts are not needed)");
        }
        std::string off;
        const auto add_off = [&](Family family, bool on) {
            if (!on && present.count(family) != 0) {
                off += off.empty() ? "" : "; ";
                off += present[family];
            }
        };
        add_off(Family::mqtt, m_mqtt_on);
        add_off(Family::s400, m_s400_on);
        add_off(Family::omron, m_omron_on);
        if (!off.empty()) {
            m_notes.push_back("settings of switched-off modules, not migrated: " + off);
        }
        if (!m_miscale_on && !m_s400_on && !m_omron_on) {
            m_notes.push_back(
                "no device was switched on in export2garmin.cfg: add a [devices.<module>] table "
                "(see docs/configuration.md)");
        }
    }

    std::string_view m_source_name;
    MigrationOptions m_options;
    std::vector<SecretFile> m_secrets;
    std::map<std::string, ShellAssignment> m_values;  // last assignment of each known key
    std::vector<ShellAssignment> m_user_lines;        // every user line, in file order
    std::vector<std::string> m_notes;
    std::set<std::string> m_migrated;  // keys written to the TOML (no "not migrated" note)
    std::ostringstream m_out;
    bool m_miscale_on = false;
    bool m_mqtt_on = false;
    bool m_s400_on = false;
    bool m_omron_on = false;
};

}  // namespace

Result<MigrationResult> migrate_export2garmin(std::string_view cfg_text, std::string_view source_name,
                                              const MigrationOptions& options)
{
    return Migration(source_name, options).run(parse_shell_cfg(cfg_text));
}

}  // namespace ble2garmin::config
