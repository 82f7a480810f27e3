#include "app/upload_runner.hpp"

#include <fstream>

#include <fmt/format.h>

#include "garmin/outbox_schedule.hpp"
#include "store/row_owners.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

struct OpenStores {
    store::MiscaleBackup backup;
    store::RowOwners owners;
    store::OmronBackup omron;

    garmin::OutboxBackups backups() { return {backup, owners, &omron}; }
};

Result<OpenStores> open_stores(const Config& config)
{
    store::HeaderSuffixes columns;
    auto backup = store::MiscaleBackup::open(config.miscale_csv_path(), columns);
    if (!backup) {
        return backup.error();
    }
    auto owners = store::RowOwners::open(config.general.state_directory / store::k_row_owners_file);
    if (!owners) {
        return owners.error();
    }
    auto omron = store::OmronBackup::open(config.omron_csv_path());
    if (!omron) {
        return omron.error();
    }
    return OpenStores{std::move(*backup), std::move(*owners), std::move(*omron)};
}

}  // namespace

Result<UploadSummary> run_upload_once(const Config& config, const UploadFunction& upload, SystemTime now,
                                      std::ostream& out)
{
    auto stores = open_stores(config);
    if (!stores) {
        return stores.error();
    }
    garmin::Outbox outbox(config.users, garmin::OutboxSchedule::open(config.general.state_directory /
                                                                     garmin::k_outbox_state_file));
    outbox.schedule().forget_waits_except_rate_limits();
    UploadSummary summary;
    while (auto job = outbox.next_job(stores->backups(), now)) {
        const garmin::UploadAnswer answer = upload(*job);
        outbox.finish(*job, answer, stores->backups(), now);
        out << job->describe() << "  " << garmin::api_outcome_name(answer.outcome);
        out << (answer.message.empty() ? "" : ": " + answer.message) << "\n";
        // Parked and still pending rows are counted below, from the files.
        if (answer.outcome == garmin::ApiOutcome::success ||
            answer.outcome == garmin::ApiOutcome::duplicate) {
            ++summary.uploaded;
        }
    }
    for (const auto& row : stores->backup.pending()) {
        const auto user = garmin::owner_of_row(row, stores->owners, config.users);
        if (outbox.schedule().is_parked(row.unix_time())) {
            ++summary.refused;
        } else if (user && !user->garmin_email.empty()) {
            ++summary.still_pending;
        }
    }
    for (const auto& row : stores->omron.pending()) {
        if (outbox.schedule().is_parked(row.unix_time)) {
            ++summary.refused;
        } else if (!row.email.empty() && row.email.find("email@email.com") == std::string::npos) {
            ++summary.still_pending;
        }
    }
    return summary;
}

Result<UploadSummary> write_dry_run(const Config& config, const std::filesystem::path& directory,
                                    std::ostream& out)
{
    auto stores = open_stores(config);
    if (!stores) {
        return stores.error();
    }
    const auto schedule =
        garmin::OutboxSchedule::open(config.general.state_directory / garmin::k_outbox_state_file);
    UploadSummary summary;
    for (const auto& row : stores->backup.pending()) {
        const auto user = garmin::owner_of_row(row, stores->owners, config.users);
        if (schedule.is_parked(row.unix_time()) || !user || user->garmin_email.empty()) {
            out << row.unix_time() << "  skipped: "
                << (!user                                 ? "no user's weight range matches"
                    : schedule.is_parked(row.unix_time()) ? "parked"
                                                          : "user " + user->name + " has no garmin_email")
                << "\n";
            continue;
        }
        auto upload = garmin::prepare_scale_upload(row, *user);
        if (!upload) {
            out << row.unix_time() << "  skipped: " << upload.error().message << "\n";
            continue;
        }
        const auto folder = directory / user->garmin_email;
        std::error_code error;
        std::filesystem::create_directories(folder, error);
        const auto path = folder / (std::to_string(row.unix_time()) + ".fit");
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(upload->fit.data()),
                   static_cast<std::streamsize>(upload->fit.size()));
        file.close();
        if (error || !file) {
            return make_error("cannot write " + path.string());
        }
        out << garmin::OutboxJob{user->garmin_email, std::move(*upload)}.describe() << "  written "
            << path.string() << "\n";
        ++summary.written;
    }
    return summary;
}

}  // namespace ble2garmin::app
