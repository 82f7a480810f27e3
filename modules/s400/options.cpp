#include "options.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "ble2garmin/advertisement.hpp"

#include "config/field_readers.hpp"
#include "config/toml_checks.hpp"
#include "util/hex.hpp"

namespace ble2garmin::modules::s400 {
namespace {

constexpr std::string_view k_table = "devices.s400";
constexpr std::size_t k_bindkey_digits = 32;
constexpr std::uintmax_t k_max_bindkey_file_size = 4096;

// "file:line:column: " for nodes read from a file; nothing for tables built in code
// (`ble2garmin decode --bindkey`), whose nodes have no position.
std::string at(const toml::node& node)
{
    return node.source().begin.line == 0 ? std::string() : config::source_position(node) + ": ";
}

std::string qualified(std::string_view key)
{
    return "'" + std::string(k_table) + "." + std::string(key) + "'";
}

std::string_view trim(std::string_view text)
{
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

// Where a relative bindkey_file is: $CREDENTIALS_DIRECTORY (systemd credentials), else the config
// file's directory, else the working directory.
std::filesystem::path resolve_key_path(const std::string& text, const toml::node& node)
{
    std::filesystem::path path(text);
    if (path.is_absolute()) {
        return path;
    }
    // Read while the configuration is loaded, before any thread exists.
    if (const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");  // NOLINT(concurrency-mt-unsafe)
        credentials != nullptr && *credentials != 0) {
        return std::filesystem::path(credentials) / path;
    }
    if (const auto& file = node.source().path; file && !file->empty()) {
        return std::filesystem::path(*file).parent_path() / path;
    }
    return path;
}

Result<BindKey> read_key_file(const toml::node& node)
{
    const auto* text = node.as_string();
    if (text == nullptr) {
        return make_error(at(node) + qualified("bindkey_file") + " must be a string (found " +
                          std::string(config::type_name(node)) + ")");
    }
    if (text->get().empty()) {
        return make_error(at(node) + qualified("bindkey_file") + " must not be empty");
    }
    const std::filesystem::path path = resolve_key_path(text->get(), node);
    const std::string where = at(node) + qualified("bindkey_file") + " " + path.string() + ": ";
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error) {
        return make_error(where + "cannot read the bindkey: " + error.message());
    }
    if (size > k_max_bindkey_file_size) {
        return make_error(where + "is " + std::to_string(size) +
                          " bytes: a bindkey file holds 32 hex digits");
    }
    std::ifstream in(path, std::ios::binary);
    std::string content(static_cast<std::size_t>(size), '\0');
    if (!in || !in.read(content.data(), static_cast<std::streamsize>(content.size()))) {
        return make_error(where + "cannot read the bindkey");
    }
    auto key = parse_bindkey(trim(content));
    if (!key) {
        return make_error(where + "the file " + key.error().message);
    }
    return key;
}

Result<BindKey> read_key(const toml::table& table)
{
    const toml::node* inline_key = table.get("bindkey");
    const toml::node* key_file = table.get("bindkey_file");
    if (inline_key != nullptr && key_file != nullptr) {
        return make_error(at(*key_file) + "set either " + qualified("bindkey") + " or " +
                          qualified("bindkey_file") + ", not both");
    }
    if (key_file != nullptr) {
        return read_key_file(*key_file);
    }
    if (inline_key == nullptr) {
        return make_error(
            at(table) + "[" + std::string(k_table) +
            "] needs 'bindkey' (32 hex digits from the Xiaomi cloud) or 'bindkey_file': the S400 "
            "encrypts its readings (docs/devices/s400.md)");
    }
    const auto* text = inline_key->as_string();
    if (text == nullptr) {
        return make_error(at(*inline_key) + qualified("bindkey") + " must be a string (found " +
                          std::string(config::type_name(*inline_key)) + ")");
    }
    auto key = parse_bindkey(text->get());
    if (!key) {
        return make_error(at(*inline_key) + qualified("bindkey") + " " + key.error().message);
    }
    return key;
}

}  // namespace

Result<BindKey> parse_bindkey(std::string_view text)
{
    if (text.size() != k_bindkey_digits) {
        return make_error("must hold exactly 32 hexadecimal digits (found " + std::to_string(text.size()) +
                          " characters)");
    }
    BindKey key{};
    for (std::size_t i = 0; i < key.size(); ++i) {
        const int high = hex_digit_value(text[2 * i]);
        const int low = hex_digit_value(text[2 * i + 1]);
        if (high < 0 || low < 0) {
            return make_error("must hold exactly 32 hexadecimal digits (character " +
                              std::to_string(2 * i + (high < 0 ? 1 : 2)) + " is not 0-9 or a-f)");
        }
        key[i] = static_cast<std::uint8_t>(high << 4 | low);
    }
    return key;
}

Result<Options> read_options(const toml::table& table)
{
    config::Problems problems;
    config::TableReader reader(table, std::string(k_table), problems);
    reader.reject_unknown_keys({"mac", "bindkey", "bindkey_file", "session_grace_seconds"});
    Options options;
    if (!table.contains("mac")) {
        problems.add(table, "[" + std::string(k_table) + "] needs 'mac', the scale's Bluetooth address");
    } else if (auto mac = reader.string("mac")) {
        options.mac = normalize_mac(*mac);
        if (const auto bytes = parse_mac(options.mac)) {
            options.mac_bytes = *bytes;
        } else {
            reader.problem("mac", "must be a Bluetooth address such as \"AA:BB:CC:DD:EE:FF\"");
        }
    }
    if (auto key = read_key(table)) {
        options.bindkey = *key;
    } else {
        problems.add(toml::source_region{}, key.error().message);  // positioned by read_key itself
    }
    if (auto grace = reader.integer("session_grace_seconds", 1, k_max_session_grace_seconds)) {
        options.session_grace = std::chrono::seconds(*grace);
    }
    if (auto checked = problems.result(); !checked) {
        return checked.error();
    }
    return options;
}

}  // namespace ble2garmin::modules::s400
