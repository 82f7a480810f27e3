#include "pipeline/store_setup.hpp"

#include "pipeline/pipeline.hpp"
#include "pipeline/user_resolver.hpp"
#include "util/time.hpp"

namespace ble2garmin::pipeline {

store::RowCompletion complete_row(const std::vector<User>& users, const store::MiscaleRow& row,
                                  const std::optional<std::string>& owner)
{
    store::RowCompletion completion;
    if (owner) {
        for (const auto& user : users) {
            if (user.name == *owner) {
                completion.user = user;
            }
        }
    }
    if (!completion.user) {
        completion.user = resolve_user(users, row.weight_kg());
    }
    if (!completion.user) {
        completion.why_not = "no user's weight range matches";
        return completion;
    }
    ScaleReading scale;
    scale.weight_kg = row.weight_kg();
    scale.impedance_ohm = row.impedance_ohm();
    auto composition =
        body::compose(composition_inputs(*completion.user, scale, from_unix_seconds(row.unix_time())));
    if (composition) {
        completion.composition = std::move(*composition);
    } else {
        completion.why_not = composition.error().message;
    }
    return completion;
}

store::StoreOptions store_options(const Config& config,
                                  std::span<const DeviceModuleDescriptor* const> modules, bool include_local)
{
    store::StoreOptions options;
    options.state_directory = config.general.state_directory;
    options.scale_csv = config.miscale_csv_path();
    options.blood_pressure_csv = config.omron_csv_path();
    // A new backup gets export2garmin's columns for the second impedance and the heart rate when a
    // configured device's readings carry them (an existing file's header decides for itself).
    for (const auto& device : config.devices) {
        for (const auto* module : modules) {
            if (module->name == device.module &&
                (module->carries.impedance_high || module->carries.heart_rate)) {
                options.new_scale_columns.s400 = true;
            }
        }
    }
    // export2garmin adds the battery columns when its ESP32 feed is on (switch_mqtt) at file creation.
    options.new_scale_columns.battery = config.mqtt.enabled && config.mqtt.esp32;
    options.duplicate_window = std::chrono::seconds(config.pipeline.duplicate_window_seconds);
    options.blood_pressure_standard = config.storage.blood_pressure_category;
    options.users = config.users;
    options.complete_row = [users = config.users](const store::MiscaleRow& row,
                                                  const std::optional<std::string>& owner) {
        return complete_row(users, row, owner);
    };
    options.include_local = include_local;
    return options;
}

Result<std::unique_ptr<store::MeasurementStore>> open_store(
    const Config& config, std::span<const DeviceModuleDescriptor* const> modules, SystemTime now,
    bool include_local)
{
    return store::MeasurementStore::open(store_options(config, modules, include_local), now);
}

store::RowOwners::WeightRule owner_by_weight(const std::vector<User>& users)
{
    return [users](double weight_kg) -> std::optional<std::size_t> {
        const auto user = resolve_user(users, weight_kg);
        for (std::size_t index = 0; user && index < users.size(); ++index) {
            if (users[index].name == user->name) {
                return index;
            }
        }
        return std::nullopt;
    };
}

}  // namespace ble2garmin::pipeline
