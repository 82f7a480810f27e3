#include "options.hpp"

#include "ble2garmin/advertisement.hpp"

#include "config/field_readers.hpp"
#include "gatt_uuids.hpp"
#include "util/hex.hpp"

namespace ble2garmin::modules::omron {
namespace {

constexpr std::string_view k_table = "devices.omron";

}  // namespace

Result<PairingKey> parse_key(std::string_view text)
{
    auto bytes = parse_hex(text);
    if (!bytes || bytes->size() != PairingKey{}.size()) {
        return make_error("must be 32 hexadecimal digits (16 bytes)");
    }
    PairingKey key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

Result<Options> read_options(const toml::table& table)
{
    config::Problems problems;
    config::TableReader reader(table, std::string(k_table), problems);
    reader.reject_unknown_keys(
        {"mac", "model", "key", "update_unread_counter", "sync_time", "quiet_seconds"});
    Options options;
    options.key = *parse_key(k_default_key);
    // 'mac' is the loader's (a decode has none); 'model' decides everything else.
    if (!table.contains("model")) {
        problems.add(table, "[" + std::string(k_table) +
                                "] needs 'model', the cuff's model from its label (" +
                                std::string(model_names()) + ")");
    }
    if (auto mac = reader.string("mac")) {
        options.mac = normalize_mac(*mac);
        if (options.mac.empty()) {
            reader.problem("mac", "must be a Bluetooth address such as \"AA:BB:CC:DD:EE:FF\"");
        }
    }
    if (auto name = reader.string("model")) {
        options.model = find_model(*name);
        if (options.model == nullptr) {
            reader.problem("model", "\"" + *name + "\" is not a supported cuff (supported: " +
                                        std::string(model_names()) +
                                        "; the model is on the label under the cuff)");
        }
    }
    if (auto text = reader.string("key")) {
        if (auto key = parse_key(*text)) {
            options.key = *key;
        } else {
            reader.problem("key", key.error().message);
        }
    }
    if (auto update = reader.boolean("update_unread_counter")) {
        options.update_unread_counter = *update;
    }
    if (auto sync = reader.boolean("sync_time")) {
        options.sync_time = *sync;
    }
    if (auto quiet = reader.integer("quiet_seconds", 0, 3600)) {
        options.quiet = std::chrono::seconds(*quiet);
    }
    if (options.model != nullptr) {
        if (options.update_unread_counter &&
            (options.model->index.size == 0 || !options.model->settings_write)) {
            reader.problem(
                "update_unread_counter",
                "is not possible on the " + std::string(options.model->name) + ": it has no unread counter");
        }
        if (options.sync_time && !options.model->time_sync) {
            reader.problem("sync_time", "is not supported on the " + std::string(options.model->name) +
                                            " (its clock block is not known)");
        }
    }
    if (auto checked = problems.result(); !checked) {
        return checked.error();
    }
    return options;
}

}  // namespace ble2garmin::modules::omron
