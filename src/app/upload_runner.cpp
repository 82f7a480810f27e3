#include "app/upload_runner.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include "ble2garmin/device_module.hpp"

#include "fs/atomic_file.hpp"
#include "garmin/outbox/outbox_schedule.hpp"
#include "log/logging.hpp"
#include "pipeline/store_setup.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

garmin::OutboxSchedule open_schedule(const Config& config)
{
    return garmin::OutboxSchedule::open(config.general.state_directory / garmin::k_outbox_state_file);
}

Result<void> make_private_directory(const std::filesystem::path& directory)
{
    std::error_code error;
    if (std::filesystem::is_directory(directory, error)) {
        return {};
    }
    if (directory.has_parent_path()) {
        if (auto parent = make_private_directory(directory.parent_path()); !parent) {
            return parent;
        }
    }
    if (::mkdir(directory.c_str(), fs::k_private_directory_mode) != 0 && errno != EEXIST) {
        return fs::file_error("create", directory, errno);
    }
    return {};
}

}  // namespace

Result<std::filesystem::path> write_dry_run_file(const std::filesystem::path& directory,
                                                 const std::string& email, std::int64_t unix_time,
                                                 const Bytes& fit)
{
    const auto folder = directory / email;
    if (auto made = make_private_directory(folder); !made) {
        return made.error();
    }
    const auto path = folder / (std::to_string(unix_time) + ".fit");
    if (auto written = fs::replace_file_atomically(
            path, std::string_view(reinterpret_cast<const char*>(fit.data()), fit.size()));
        !written) {
        return written.error();
    }
    return path;
}

Result<UploadSummary> run_upload_once(const Config& config, const UploadFunction& upload, SystemTime now,
                                      std::ostream& out, const UploadPassOptions& options)
{
    auto store = pipeline::open_store(config, device_modules(), now, options.include_local);
    if (!store) {
        return store.error();
    }
    garmin::Outbox outbox(open_schedule(config));
    if (options.retry_parked) {
        outbox.schedule().unpark_all();
    }
    if (options.ignore_rate_limits) {
        for (const auto& wait : outbox.schedule().forget_all_waits(now)) {
            logging::get("garmin")->warn(
                "--now: ignoring Garmin's rate limit for {} (it asked to wait until {}); sending early can "
                "make it last longer",
                wait.email, format_iso_naive_local(wait.until));
        }
    } else {
        outbox.schedule().forget_waits_except_rate_limits();
    }
    const auto parked_before = outbox.schedule().parked();
    UploadSummary summary;
    while (auto job = outbox.next_job(**store, now)) {
        const garmin::UploadAnswer answer = upload(*job);
        outbox.finish(*job, answer, **store, now);
        out << job->describe() << "  " << garmin::api_outcome_name(answer.outcome);
        out << (answer.message.empty() ? "" : ": " + answer.message) << "\n";
        // Parked and still pending rows are counted below, from the store.
        if (answer.outcome == garmin::ApiOutcome::success ||
            answer.outcome == garmin::ApiOutcome::duplicate) {
            ++summary.uploaded;
        }
        summary.login_needed |= answer.outcome == garmin::ApiOutcome::auth_failed;
    }
    // One rewrite for the whole pass.
    if (auto flushed = (*store)->flush(); !flushed) {
        return make_error(
            "uploaded rows not marked in the backup (they are sent again next time, Garmin "
            "answers 409): " +
            flushed.error().message);
    }
    const auto count = [&](std::int64_t unix_time, bool skipped) {
        if (outbox.schedule().is_parked(unix_time)) {
            ++(parked_before.contains(unix_time) ? summary.parked_earlier : summary.parked_now);
        } else if (!skipped) {
            ++summary.still_pending;
        }
    };
    for (const auto& pending : (*store)->pending_scale()) {
        count(pending.row.unix_time(), outbox.skip_reason(pending).has_value());
    }
    for (const auto& row : (*store)->pending_blood_pressure()) {
        count(row.unix_time, outbox.skip_reason(row).has_value());
    }
    return summary;
}

Result<UploadSummary> write_dry_run(const Config& config, const std::filesystem::path& directory,
                                    std::ostream& out, const UploadPassOptions& options)
{
    auto store = pipeline::open_store(config, device_modules(), std::chrono::system_clock::now(),
                                      options.include_local);
    if (!store) {
        return store.error();
    }
    const garmin::Outbox outbox(open_schedule(config));
    UploadSummary summary;
    for (const auto& pending : (*store)->pending_scale()) {
        if (const auto why = outbox.skip_reason(pending)) {
            out << pending.row.unix_time() << "  skipped: " << *why << "\n";
            continue;
        }
        auto upload = garmin::prepare_scale_upload(pending);
        if (!upload) {
            out << pending.row.unix_time() << "  skipped: " << upload.error().message << "\n";
            continue;
        }
        auto path =
            write_dry_run_file(directory, pending.user->garmin_email, pending.row.unix_time(), upload->fit);
        if (!path) {
            return path.error();
        }
        out << garmin::OutboxJob{pending.user->garmin_email, std::move(*upload)}.describe() << "  written "
            << path->string() << "\n";
        ++summary.written;
    }
    return summary;
}

}  // namespace ble2garmin::app
