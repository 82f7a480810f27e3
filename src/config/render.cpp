// to_toml(): the effective configuration as TOML, in the order of docs/configuration.md.

#include <sstream>
#include <string_view>
#include <vector>

#include "config/field_readers.hpp"
#include "config/loader.hpp"
#include "config/toml_checks.hpp"

namespace ble2garmin::config {
namespace {

// Double-quoted basic strings and full float precision, so every value reads back unchanged.
constexpr auto k_format = toml::format_flags::allow_unicode_strings;

template <class T>
std::string literal(T value)
{
    std::ostringstream out;
    out << toml::toml_formatter(toml::value<T>(std::move(value)), k_format);
    return out.str();
}

std::string_view policy_name(ScaleClockPolicy policy)
{
    switch (policy) {
        case ScaleClockPolicy::automatic:
            return "auto";
        case ScaleClockPolicy::scale:
            return "scale";
        case ScaleClockPolicy::receive:
            return "receive";
    }
    return "auto";
}

void render_user(std::ostream& out, const User& user)
{
    const auto& date = user.birth_date;
    out << "\n[[users]]\n";
    out << "name = " << toml_string(user.name) << "\n";
    out << "sex = " << toml_string(user.sex == Sex::female ? "female" : "male") << "\n";
    out << "height_cm = " << literal(user.height_cm) << "\n";
    out << "birth_date = "
        << literal(toml::date{static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                              static_cast<unsigned>(date.day())})
        << "\n";
    if (!user.garmin_email.empty()) {
        out << "garmin_email = " << toml_string(user.garmin_email) << "\n";
    }
    out << "min_weight_kg = " << literal(user.min_weight_kg) << "\n";
    out << "max_weight_kg = " << literal(user.max_weight_kg) << "\n";
    for (const auto& [key, id] : user.device_user_ids) {
        out << key << " = " << id << "\n";
    }
    for (const auto& [key, ids] : user.device_user_ids_by_address) {
        out << key << " = {";
        const char* separator = " ";
        for (const auto& [address, id] : ids) {
            out << separator << toml_string(address) << " = " << id;
            separator = ", ";
        }
        out << " }\n";
    }
}

// Device keys whose values are secrets: check-config prints the effective configuration, which
// ends up in terminals, bug reports and journals, so they are left out with a comment.
constexpr std::string_view k_secret_device_keys[] = {"bindkey"};

void render_device(std::ostream& out, const DeviceConfig& device)
{
    // toml++ writes the [[devices.<module>]] header and any nested table of the module's options.
    toml::table options = device.options;
    options.insert_or_assign("mac", device.mac);
    std::vector<std::string_view> hidden;
    for (auto key : k_secret_device_keys) {
        if (options.erase(key) > 0) {
            hidden.push_back(key);
        }
    }
    toml::table document{{"devices", toml::table{{device.module, toml::array{std::move(options)}}}}};
    out << "\n" << toml::toml_formatter(document, k_format) << "\n";
    for (auto key : hidden) {
        out << "# " << key << " is set but not shown: check-config never prints a secret\n";
    }
}

void render_garmin(std::ostream& out, const GarminConfig& garmin)
{
    out << "\n[garmin]\n";
    out << "enabled = " << (garmin.enabled ? "true" : "false") << "\n";
    out << "token_dir = " << toml_string(garmin.token_dir.string()) << "\n";
    out << "domain = " << toml_string(garmin.domain) << "\n";
    out << "sso_base_url = " << toml_string(garmin.sso_base_url) << "\n";
    out << "api_base_url = " << toml_string(garmin.api_base_url) << "\n";
    out << "diauth_base_url = " << toml_string(garmin.diauth_base_url) << "\n";
    out << "ca_file = " << toml_string(garmin.ca_file.string()) << "\n";
    out << "user_agent = " << toml_string(garmin.user_agent) << "\n";
    out << "client_ids = [";
    for (std::size_t i = 0; i < garmin.client_ids.size(); ++i) {
        out << (i == 0 ? "" : ", ") << toml_string(garmin.client_ids[i]);
    }
    out << "]\n";
    out << "verify_uploads = " << (garmin.verify_uploads ? "true" : "false") << "\n";
    out << "dry_run = " << (garmin.dry_run ? "true" : "false") << "\n";
    out << "dry_run_directory = " << toml_string(garmin.dry_run_directory.string()) << "\n";
    out << "timeout_seconds = " << garmin.timeout_seconds << "\n";
    out << "oauth_consumer_url = " << toml_string(garmin.oauth_consumer_url) << "\n";
    if (!garmin.oauth_consumer_key.empty()) {
        // The consumer pair is not an account secret, but it is called one: not printed either.
        out << "# oauth_consumer_key and oauth_consumer_secret are set but not shown\n";
    }
}

std::string_view role_name(MqttRole role)
{
    switch (role) {
        case MqttRole::gateway:
            return "gateway";
        case MqttRole::hub:
            return "hub";
        case MqttRole::standalone:
            return "standalone";
    }
    return "standalone";
}

void render_mqtt(std::ostream& out, const MqttConfig& mqtt)
{
    const auto optional_string = [&](std::string_view key, const std::string& value) {
        if (!value.empty()) {
            out << key << " = " << toml_string(value) << "\n";
        }
    };
    out << "\n[mqtt]\n";
    out << "enabled = " << (mqtt.enabled ? "true" : "false") << "\n";
    out << "host = " << toml_string(mqtt.host) << "\n";
    out << "port = " << mqtt.port << "\n";
    out << "protocol = " << toml_string(mqtt.protocol) << "\n";
    optional_string("client_id", mqtt.client_id);
    optional_string("username", mqtt.username);
    // Where the password comes from, never the password.
    optional_string("password_file", mqtt.password_file.string());
    optional_string("password_credential", mqtt.password_credential);
    out << "tls = " << (mqtt.tls ? "true" : "false") << "\n";
    optional_string("ca_file", mqtt.ca_file.string());
    optional_string("cert_file", mqtt.cert_file.string());
    optional_string("key_file", mqtt.key_file.string());
    out << "keepalive_seconds = " << mqtt.keepalive_seconds << "\n";
    out << "reconnect_min_seconds = " << mqtt.reconnect_min_seconds << "\n";
    out << "reconnect_max_seconds = " << mqtt.reconnect_max_seconds << "\n";
    out << "topic_prefix = " << toml_string(mqtt.topic_prefix) << "\n";
    out << "retain = " << (mqtt.retain ? "true" : "false") << "\n";
    out << "flat_topics = " << (mqtt.flat_topics ? "true" : "false") << "\n";
    out << "discovery = " << (mqtt.discovery ? "true" : "false") << "\n";
    out << "discovery_prefix = " << toml_string(mqtt.discovery_prefix) << "\n";
    out << "role = " << toml_string(role_name(mqtt.role)) << "\n";
    optional_string("gateway_name", mqtt.gateway_name);
    out << "gateway_topic = " << toml_string(mqtt.gateway_topic) << "\n";
    out << "esp32 = " << (mqtt.esp32 ? "true" : "false") << "\n";
    out << "esp32_topic = " << toml_string(mqtt.esp32_topic) << "\n";
    optional_string("esp32_scale_mac", mqtt.esp32_scale_mac);
}

}  // namespace

std::string to_toml(const Config& config)
{
    std::ostringstream out;
    out << "# Effective ble2garmin configuration, defaults included (docs/configuration.md).\n";
    out << "\n[general]\n";
    out << "state_directory = " << toml_string(config.general.state_directory.string()) << "\n";
    out << "timezone = " << toml_string(config.general.timezone) << "\n";
    out << "log_level = " << toml_string(config.general.log_level) << "\n";
    out << "\n[storage]\n";
    out << "miscale_csv = " << toml_string(config.storage.miscale_csv.string()) << "\n";
    out << "omron_csv = " << toml_string(config.storage.omron_csv.string()) << "\n";
    out << "blood_pressure_category = " << toml_string(config.storage.blood_pressure_category) << "\n";
    out << "\n[pipeline]\n";
    out << "duplicate_window_seconds = " << config.pipeline.duplicate_window_seconds << "\n";
    out << "scale_clock = " << toml_string(policy_name(config.pipeline.scale_clock)) << "\n";
    out << "scale_clock_tolerance_seconds = " << config.pipeline.scale_clock_tolerance_seconds << "\n";
    out << "scale_clock_offset_seconds = " << config.pipeline.scale_clock_offset_seconds << "\n";
    out << "\n[bluetooth]\n";
    out << "adapter = " << toml_string(config.bluetooth.adapter) << "\n";
    out << "silence_restart_seconds = " << config.bluetooth.silence_restart_seconds << "\n";
    render_garmin(out, config.garmin);
    out << "\n[rowing]\n";
    if (config.rowing.watch_dir.empty()) {
        out << "# watch_dir is not set: no watch folder\n";
    } else {
        out << "watch_dir = " << toml_string(config.rowing.watch_dir.string()) << "\n";
    }
    if (!config.rowing.user.empty()) {
        out << "user = " << toml_string(config.rowing.user) << "\n";
    }
    out << "split_m = " << format_number(config.rowing.split_m) << "\n";
    render_mqtt(out, config.mqtt);
    for (const auto& user : config.users) {
        render_user(out, user);
    }
    for (const auto& device : config.devices) {
        render_device(out, device);
    }
    return out.str();
}

}  // namespace ble2garmin::config
