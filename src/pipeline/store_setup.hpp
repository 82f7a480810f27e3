#pragma once
// Opening the measurement store for a configuration: paths, columns, the duplicate window, the
// blood-pressure standard, and the rule that completes rows recorded without ble2garmin's journal
// (export2garmin's pending rows: the user by weight range, the composition for the row's date).

#include <span>

#include "ble2garmin/config.hpp"
#include "ble2garmin/device_module.hpp"
#include "ble2garmin/result.hpp"

#include "store/history/row_owners.hpp"
#include "store/measurement_store.hpp"

namespace ble2garmin::pipeline {

// The store options for `config` with the device `modules` (what their readings carry decides the
// columns of a new scale backup); `include_local` makes `local` rows wait for Garmin too.
store::StoreOptions store_options(const Config& config,
                                  std::span<const DeviceModuleDescriptor* const> modules,
                                  bool include_local = false);

// Opens the store of `config` (see MeasurementStore::open).
Result<std::unique_ptr<store::MeasurementStore>> open_store(
    const Config& config, std::span<const DeviceModuleDescriptor* const> modules, SystemTime now,
    bool include_local = false);

// Who a row without a journal line belongs to (the recorded `owner` when still configured, else the
// weight-range rule) and its composition for the row's date and impedance.
store::RowCompletion complete_row(const std::vector<User>& users, const store::MiscaleRow& row,
                                  const std::optional<std::string>& owner);

// The weight rule of store::RowOwners for `users`: the user resolve_user
// chooses, as an index into `users` — so `status` and `report` give a waiting row the owner the store
// and the upload give it.
store::RowOwners::WeightRule owner_by_weight(const std::vector<User>& users);

}  // namespace ble2garmin::pipeline
