#include "pipeline/pipeline.hpp"

#include <cmath>
#include <system_error>

#include <fmt/format.h>

#include "log/logging.hpp"
#include "pipeline/measurement_time.hpp"
#include "pipeline/user_resolver.hpp"
#include "util/time.hpp"

namespace ble2garmin::pipeline {
namespace {

constexpr const char* k_memory_file = "seen_readings.tsv";

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("pipeline");
}

}  // namespace

body::Inputs composition_inputs(const User& user, const ScaleReading& scale, SystemTime measured_at)
{
    body::Inputs inputs;
    inputs.sex = user.sex;
    inputs.height_cm = user.height_cm;
    inputs.age_years = body::age_on(user.birth_date, to_local(measured_at).ymd);
    inputs.weight_kg = scale.weight_kg;
    inputs.impedance_ohm = scale.impedance_ohm;
    return inputs;
}

Result<std::unique_ptr<Pipeline>> Pipeline::open(const Config& config, SystemTime now)
{
    std::error_code error;
    std::filesystem::create_directories(config.general.state_directory, error);
    if (error) {
        return make_error("cannot create state directory " + config.general.state_directory.string() + ": " +
                          error.message());
    }
    // A new backup gets export2garmin's S400 columns when an S400 is configured (an existing file's
    // header decides for itself).
    store::HeaderSuffixes columns;
    for (const auto& device : config.devices) {
        columns.s400 = columns.s400 || device.module == "s400";
    }
    auto miscale = store::MiscaleBackup::open(config.miscale_csv_path(), columns);
    if (!miscale) {
        return miscale.error();
    }
    auto memory = DuplicateMemory::open(config.general.state_directory / k_memory_file,
                                        std::chrono::seconds(config.pipeline.duplicate_window_seconds), now);
    if (!memory) {
        return memory.error();
    }
    auto owners = store::RowOwners::open(config.general.state_directory / store::k_row_owners_file);
    if (!owners) {
        return owners.error();
    }
    return std::unique_ptr<Pipeline>(new Pipeline(config,
                                                  std::make_unique<store::MiscaleBackup>(std::move(*miscale)),
                                                  std::move(*memory), std::move(*owners)));
}

Pipeline::Pipeline(const Config& config, std::unique_ptr<store::MiscaleBackup> miscale,
                   DuplicateMemory memory, store::RowOwners owners)
    : m_config(config), m_miscale(std::move(miscale)), m_seen(std::move(memory)), m_owners(std::move(owners))
{
}

Measurement Pipeline::complete(const Reading& reading) const
{
    Measurement measurement;
    measurement.reading = reading;
    const auto time = measurement_time(reading, m_config.pipeline);
    measurement.measured_at = time.time;
    measurement.device_clock_used = time.device_clock_used;
    if (reading.device_time && !time.device_clock_used) {
        logger()->warn(
            "device clock ignored: off by {} s from receive time, using receive time device={} "
            "tolerance={}s",
            time.device_clock_skew_seconds, reading.device_address,
            m_config.pipeline.scale_clock_tolerance_seconds);
    }
    const auto* scale = std::get_if<ScaleReading>(&reading.value);
    if (scale == nullptr) {
        return measurement;
    }
    measurement.user = resolve_user(m_config.users, scale->weight_kg, scale->profile_id);
    if (scale->profile_id && !has_profile_id(m_config.users, *scale->profile_id)) {
        logger()->info(
            "no user has this S400 profile id, the weight range decides profile_id={} user={} device={}",
            *scale->profile_id, measurement.user ? measurement.user->name : "-", reading.device_address);
    }
    if (!measurement.user) {
        return measurement;
    }
    auto composition = body::compose(composition_inputs(*measurement.user, *scale, measurement.measured_at));
    if (composition) {
        measurement.composition = std::move(*composition);
    } else {
        measurement.composition_error = composition.error().message;
    }
    return measurement;
}

RecordResult Pipeline::on_reading(const Reading& reading)
{
    const std::string key = reading.device_address + "|" + reading.fingerprint;
    if (m_seen.seen(key, reading.received_at)) {
        logger()->debug("reading already recorded, not recorded again module={} device={} fingerprint={}",
                        reading.module, reading.device_address, reading.fingerprint);
        return {Outcome::duplicate, std::nullopt, {}};
    }
    Measurement measurement = complete(reading);
    const auto* scale = std::get_if<ScaleReading>(&reading.value);
    if (scale == nullptr) {
        return {Outcome::failed, std::nullopt, "no store for this kind of reading yet"};
    }

    store::PendingScaleRow row;
    row.status = measurement.user ? store::RowStatus::to_import : store::RowStatus::unassigned;
    row.unix_time = to_unix_seconds(measurement.measured_at);
    row.weight_kg = scale->weight_kg;
    row.impedance_ohm = scale->impedance_ohm;
    row.impedance_high_ohm = scale->impedance_high_ohm;
    row.heart_rate_bpm = scale->heart_rate_bpm;
    if (auto appended = m_miscale->append_pending(row); !appended) {
        logger()->error("measurement not written, will try again: {} device={}", appended.error().message,
                        reading.device_address);
        return {Outcome::failed, std::nullopt, appended.error().message};
    }
    if (measurement.user) {
        // The Garmin upload sends the row to this person (the CSV row cannot say who it is).
        if (auto owned = m_owners.remember(row.unix_time, measurement.user->name); !owned) {
            logger()->warn("row owner not written, the upload will choose by weight range: {}",
                           owned.error().message);
        }
    }
    if (auto remembered = m_seen.remember(key, reading.received_at); !remembered) {
        // The row is safe; at worst a restart records the weighing once more.
        logger()->warn("duplicate memory not updated: {}", remembered.error().message);
    }

    if (!measurement.user) {
        logger()->warn("no user's weight range matches, row kept as unassigned weight_kg={:.2f} device={}",
                       scale->weight_kg, reading.device_address);
    } else if (!measurement.composition) {
        logger()->warn("body composition not computed: {} user={}", measurement.composition_error,
                       measurement.user->name);
    }
    const auto& composition = measurement.composition;
    logger()->info(
        "measurement recorded module={} device={} user={} weight_kg={:.2f} impedance={} bmi={} "
        "body_fat={} time={}",
        reading.module, reading.device_address, measurement.user ? measurement.user->name : "-",
        scale->weight_kg, scale->impedance_ohm ? std::to_string(*scale->impedance_ohm) : "-",
        composition ? fmt::format("{:.1f}", composition->bmi) : "-",
        composition && composition->body_fat ? fmt::format("{:.1f}", *composition->body_fat) : "-",
        format_iso_utc(measurement.measured_at));
    for (const auto& observer : m_observers) {
        observer(measurement);
    }
    return {Outcome::recorded, measurement, {}};
}

}  // namespace ble2garmin::pipeline
