// [mqtt]: the broker, what is published and what is taken in (docs/mqtt.md, docs/configuration.md).

#include <algorithm>

#include "ble2garmin/advertisement.hpp"

#include "config/sections.hpp"
#include "config/toml_checks.hpp"

namespace ble2garmin::config {
namespace {

// MQTT topic names and Home Assistant discovery ids: a topic level must not hold the wildcards or
// the separator, and discovery node ids are limited to [a-zA-Z0-9_-] (shared/spec/mqtt.md §3).
bool is_topic_level(std::string_view text)
{
    return !text.empty() && text.find_first_of("+#/") == std::string_view::npos &&
           text.find('\0') == std::string_view::npos;
}

bool is_topic(std::string_view text)
{
    return !text.empty() && text.find_first_of("+#") == std::string_view::npos &&
           text.find('\0') == std::string_view::npos && text.front() != '/' && text.back() != '/';
}

void read_topic(TableReader& reader, std::string_view key, std::string& target)
{
    if (auto topic = reader.non_empty_string(key)) {
        if (is_topic(*topic)) {
            target = *topic;
        } else {
            reader.problem(key,
                           "must be an MQTT topic without '+', '#' or a leading or trailing '/' (found \"" +
                               *topic + "\")");
        }
    }
}

std::filesystem::path read_path(TableReader& reader, std::string_view key)
{
    auto text = reader.non_empty_string(key);
    return text ? std::filesystem::path(*text) : std::filesystem::path();
}

}  // namespace

void read_mqtt(const toml::node& node, MqttConfig& mqtt, Problems& problems)
{
    const auto* table = node.as_table();
    if (table == nullptr) {
        problems.add(node, "'mqtt' must be a table (found " + std::string(type_name(node)) + ")");
        return;
    }
    TableReader reader(*table, "mqtt", problems);
    reader.reject_unknown_keys({"enabled",
                                "host",
                                "port",
                                "protocol",
                                "client_id",
                                "username",
                                "password_file",
                                "password_credential",
                                "tls",
                                "ca_file",
                                "cert_file",
                                "key_file",
                                "keepalive_seconds",
                                "reconnect_min_seconds",
                                "reconnect_max_seconds",
                                "topic_prefix",
                                "retain",
                                "flat_topics",
                                "discovery",
                                "discovery_prefix",
                                "role",
                                "gateway_name",
                                "gateway_topic",
                                "esp32",
                                "esp32_topic",
                                "esp32_scale_mac"});
    mqtt.enabled = reader.boolean("enabled").value_or(true);
    if (auto host = reader.non_empty_string("host")) {
        mqtt.host = *host;
    }
    if (auto port = reader.integer("port", 1, 65535)) {
        mqtt.port = static_cast<int>(*port);
    }
    if (auto protocol = reader.choice("protocol", {"3.1.1", "5"})) {
        mqtt.protocol = *protocol;
    }
    if (auto id = reader.non_empty_string("client_id")) {
        // MQTT 3.1.1 servers must accept 1..23 characters; most accept more (mosquitto: 65535).
        if (id->size() <= 65535) {
            mqtt.client_id = *id;
        } else {
            reader.problem("client_id", "is longer than 65535 characters");
        }
    }
    if (auto username = reader.non_empty_string("username")) {
        mqtt.username = *username;
    }
    mqtt.password_file = read_path(reader, "password_file");
    if (auto credential = reader.non_empty_string("password_credential")) {
        if (credential->find('/') == std::string::npos && *credential != "." && *credential != "..") {
            mqtt.password_credential = *credential;
        } else {
            reader.problem("password_credential",
                           "must be a credential name, not a path (found \"" + *credential + "\")");
        }
    }
    if (!mqtt.password_file.empty() && !mqtt.password_credential.empty()) {
        reader.problem("password_credential",
                       "and 'mqtt.password_file' exclude each other: give one of them");
    }
    if ((!mqtt.password_file.empty() || !mqtt.password_credential.empty()) && mqtt.username.empty()) {
        reader.problem(mqtt.password_file.empty() ? "password_credential" : "password_file",
                       "needs 'mqtt.username' (MQTT sends a password only with a user name)");
    }
    mqtt.tls = reader.boolean("tls").value_or(false);
    mqtt.ca_file = read_path(reader, "ca_file");
    mqtt.cert_file = read_path(reader, "cert_file");
    mqtt.key_file = read_path(reader, "key_file");
    if (mqtt.cert_file.empty() != mqtt.key_file.empty()) {
        reader.problem(
            mqtt.cert_file.empty() ? "key_file" : "cert_file",
            "needs its partner: a client certificate is given with 'cert_file' and 'key_file' together");
    }
    if (!mqtt.ca_file.empty() || !mqtt.cert_file.empty()) {
        mqtt.tls = true;
    }
    if (auto keepalive = reader.integer("keepalive_seconds", 5, 65535)) {
        mqtt.keepalive_seconds = static_cast<int>(*keepalive);
    }
    if (auto minimum = reader.integer("reconnect_min_seconds", 1, 3600)) {
        mqtt.reconnect_min_seconds = static_cast<int>(*minimum);
    }
    if (auto maximum = reader.integer("reconnect_max_seconds", 1, 86400)) {
        mqtt.reconnect_max_seconds = static_cast<int>(*maximum);
    }
    if (mqtt.reconnect_max_seconds < mqtt.reconnect_min_seconds && reader.node("reconnect_max_seconds")) {
        reader.problem("reconnect_max_seconds", "must not be below 'mqtt.reconnect_min_seconds'");
    }
    read_topic(reader, "topic_prefix", mqtt.topic_prefix);
    mqtt.retain = reader.boolean("retain").value_or(mqtt.retain);
    mqtt.flat_topics = reader.boolean("flat_topics").value_or(mqtt.flat_topics);
    mqtt.discovery = reader.boolean("discovery").value_or(mqtt.discovery);
    read_topic(reader, "discovery_prefix", mqtt.discovery_prefix);
    if (auto role = reader.choice("role", {"standalone", "gateway", "hub"})) {
        mqtt.role = *role == "gateway" ? MqttRole::gateway
                    : *role == "hub"   ? MqttRole::hub
                                       : MqttRole::standalone;
    }
    if (auto name = reader.non_empty_string("gateway_name")) {
        if (is_topic_level(*name)) {
            mqtt.gateway_name = *name;
        } else {
            reader.problem("gateway_name",
                           "must be one topic level, without '/', '+' or '#' (found \"" + *name + "\")");
        }
    }
    read_topic(reader, "gateway_topic", mqtt.gateway_topic);
    mqtt.esp32 = reader.boolean("esp32").value_or(false);
    read_topic(reader, "esp32_topic", mqtt.esp32_topic);
    if (auto mac = reader.non_empty_string("esp32_scale_mac")) {
        if (auto normalized = normalize_mac(*mac); !normalized.empty()) {
            mqtt.esp32_scale_mac = normalized;
        } else {
            reader.problem("esp32_scale_mac",
                           "must be a Bluetooth address like \"AA:BB:CC:DD:EE:FF\" (found \"" + *mac + "\")");
        }
    }
    if (mqtt.esp32 && mqtt.role == MqttRole::gateway) {
        reader.problem("esp32", "is taken in by the hub, not by a gateway (role = \"gateway\")");
    }
}

}  // namespace ble2garmin::config
