#include "app/history_digest.hpp"

#include "pipeline/store_setup.hpp"
#include "store/history/row_owners.hpp"
#include "store/measurement_journal.hpp"

namespace ble2garmin::app {

Result<HistoryDigest> digest_history(const Config& config, const std::map<std::int64_t, std::string>& parked)
{
    auto owners = store::RowOwners::open(config.users, config.general.state_directory / store::k_journal_file,
                                         pipeline::owner_by_weight(config.users));
    if (!owners) {
        return owners.error();
    }
    HistoryDigest digest;
    for (const auto& user : config.users) {
        digest.users.push_back({user.name, std::nullopt, 0, std::nullopt, 0, 0, 0});
    }
    std::map<std::string, AccountQueue> queues;
    const auto wait = [&](const std::string& account, std::int64_t unix_time) {
        auto& queue = queues[account];
        queue.account = account;
        ++queue.pending;
        if (parked.contains(unix_time)) {
            ++queue.parked;
        }
    };
    auto scale = store::read_scale_history(config.miscale_csv_path(), [&](const store::ScaleHistoryRow& row) {
        const auto owner = owners->owner(row);
        if (owner) {
            auto& last = digest.users[*owner];
            if (!last.scale_at || row.unix_time >= *last.scale_at) {
                last.scale_at = row.unix_time;
                last.weight_kg = row.weight_kg;
            }
        }
        if (store::is_pending(row.status)) {
            wait(owner ? config.users[*owner].garmin_email : std::string("(no user)"), row.unix_time);
        }
    });
    if (!scale) {
        return scale.error();
    }
    auto pressure = store::read_blood_pressure_history(
        config.omron_csv_path(), [&](const store::BloodPressureHistoryRow& row) {
            if (const auto owner = owners->owner(row)) {
                auto& last = digest.users[*owner];
                if (!last.blood_pressure_at || row.unix_time >= *last.blood_pressure_at) {
                    last.blood_pressure_at = row.unix_time;
                    last.systolic = row.systolic;
                    last.diastolic = row.diastolic;
                    last.pulse = row.pulse;
                }
            }
            if (store::is_pending(row.status)) {
                wait(row.account, row.unix_time);
            }
        });
    if (!pressure) {
        return pressure.error();
    }
    for (auto& [account, queue] : queues) {
        digest.accounts.push_back(std::move(queue));
    }
    return digest;
}

Result<std::vector<UserLastMeasurement>> latest_measurements(const Config& config)
{
    auto digest = digest_history(config, {});
    if (!digest) {
        return digest.error();
    }
    return std::move(digest->users);
}

}  // namespace ble2garmin::app
