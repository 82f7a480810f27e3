// [general], [storage], [pipeline] and [bluetooth]: scalar settings with defaults.

#include "ble2garmin/advertisement.hpp"

#include "config/sections.hpp"
#include "config/toml_checks.hpp"
#include "util/time.hpp"

namespace ble2garmin::config {
namespace {

// The table at `node`, or nullptr with a problem when it is something else.
const toml::table* as_section(const toml::node& node, std::string_view name, Problems& problems)
{
    const auto* table = node.as_table();
    if (table == nullptr) {
        problems.add(
            node, "'" + std::string(name) + "' must be a table (found " + std::string(type_name(node)) + ")");
    }
    return table;
}

}  // namespace

std::string join_names(std::span<const std::string_view> names)
{
    std::string out;
    for (auto name : names) {
        out += out.empty() ? "" : ", ";
        out += name;
    }
    return out;
}

void read_general(const toml::node& node, GeneralConfig& general, Problems& problems)
{
    const auto* table = as_section(node, "general", problems);
    if (table == nullptr) {
        return;
    }
    TableReader reader(*table, "general", problems);
    reader.reject_unknown_keys({"state_directory", "timezone", "log_level"});
    if (auto directory = reader.non_empty_string("state_directory")) {
        general.state_directory = *directory;
    }
    if (auto zone = reader.string("timezone")) {
        // Only checked here: the process zone is changed at start-up, not while parsing.
        if (auto known = check_time_zone(*zone); !known) {
            reader.problem("timezone", "is invalid: " + known.error().message);
        } else {
            general.timezone = *zone;
        }
    }
    if (auto level = reader.choice("log_level", {"trace", "debug", "info", "warn", "error"})) {
        general.log_level = *level;
    }
}

void read_storage(const toml::node& node, StorageConfig& storage, Problems& problems)
{
    const auto* table = as_section(node, "storage", problems);
    if (table == nullptr) {
        return;
    }
    TableReader reader(*table, "storage", problems);
    reader.reject_unknown_keys({"miscale_csv", "omron_csv", "blood_pressure_category"});
    if (auto path = reader.non_empty_string("miscale_csv")) {
        storage.miscale_csv = *path;
    }
    if (auto path = reader.non_empty_string("omron_csv")) {
        storage.omron_csv = *path;
    }
    if (auto standard = reader.choice("blood_pressure_category", {"eu", "us"})) {
        storage.blood_pressure_category = *standard;
    }
    // Both backups in one file would interleave two CSV layouts.
    if (storage.miscale_csv.lexically_normal() == storage.omron_csv.lexically_normal()) {
        reader.problem(
            reader.node("omron_csv") != nullptr ? "omron_csv" : "miscale_csv",
            "must name another file than the other backup (both are '" + storage.omron_csv.string() + "')");
    }
}

void read_pipeline(const toml::node& node, PipelineConfig& pipeline, Problems& problems)
{
    const auto* table = as_section(node, "pipeline", problems);
    if (table == nullptr) {
        return;
    }
    TableReader reader(*table, "pipeline", problems);
    reader.reject_unknown_keys({"duplicate_window_seconds", "scale_clock", "scale_clock_tolerance_seconds",
                                "scale_clock_offset_seconds"});
    if (auto seconds = reader.integer("duplicate_window_seconds", 0, k_max_pipeline_seconds)) {
        pipeline.duplicate_window_seconds = static_cast<int>(*seconds);
    }
    if (auto policy = reader.choice("scale_clock", {"auto", "scale", "receive"})) {
        pipeline.scale_clock = *policy == "auto"    ? ScaleClockPolicy::automatic
                               : *policy == "scale" ? ScaleClockPolicy::scale
                                                    : ScaleClockPolicy::receive;
    }
    if (auto seconds = reader.integer("scale_clock_tolerance_seconds", 1, k_max_pipeline_seconds)) {
        pipeline.scale_clock_tolerance_seconds = static_cast<int>(*seconds);
    }
    if (auto seconds =
            reader.integer("scale_clock_offset_seconds", -k_max_pipeline_seconds, k_max_pipeline_seconds)) {
        pipeline.scale_clock_offset_seconds = static_cast<int>(*seconds);
    }
}

void read_bluetooth(const toml::node& node, BluetoothConfig& bluetooth, Problems& problems)
{
    const auto* table = as_section(node, "bluetooth", problems);
    if (table == nullptr) {
        return;
    }
    TableReader reader(*table, "bluetooth", problems);
    reader.reject_unknown_keys({"adapter", "silence_restart_seconds"});
    if (auto adapter = reader.string("adapter")) {
        const bool by_name = adapter->starts_with("hci") && adapter->size() > 3 &&
                             adapter->find_first_not_of("0123456789", 3) == std::string::npos;
        if (adapter->empty() || by_name || !normalize_mac(*adapter).empty()) {
            bluetooth.adapter = *adapter;
        } else {
            reader.problem("adapter",
                           "must be an adapter name such as \"hci0\" or its address (\"" + *adapter + "\")");
        }
    }
    if (auto seconds = reader.integer("silence_restart_seconds", 0, 24 * 60 * 60)) {
        bluetooth.silence_restart_seconds = static_cast<int>(*seconds);
    }
}

}  // namespace ble2garmin::config
