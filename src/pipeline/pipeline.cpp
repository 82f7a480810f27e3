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

Measurement Pipeline::complete(const Reading& reading) const
{
    Measurement measurement;
    measurement.reading = reading;
    const auto time = measurement_time(reading, m_config.pipeline);
    measurement.measured_at = time.time;
    measurement.device_clock_used = time.device_clock_used;
    if (reading.device_time && !time.device_clock_used) {
        const std::chrono::seconds skew(time.device_clock_skew_seconds);
        if (m_clock_reported.insert(reading.device_address).second) {
            logger()->info(
                "scale clock is {} {}; using the receive time (setting the clock in the scale's app lets "
                "ble2garmin use its own time) device={}",
                describe_duration(skew), skew.count() < 0 ? "behind" : "ahead", reading.device_address);
        } else {
            logger()->debug("scale clock off by {} s, receive time used device={}", skew.count(),
                            reading.device_address);
        }
    }
    const auto* scale = std::get_if<ScaleReading>(&reading.value);
    if (scale == nullptr) {
        measurement.user =
            resolve_blood_pressure_user(m_config.users, reading.device_user, reading.device_address);
        return measurement;
    }
    measurement.user =
        resolve_user(m_config.users, scale->weight_kg, reading.device_user, reading.device_address);
    if (reading.device_user &&
        !has_device_user(m_config.users, *reading.device_user, reading.device_address)) {
        logger()->info("no user has this {}, the weight range decides {}={} user={} device={}",
                       reading.device_user->key, reading.device_user->key, reading.device_user->id,
                       measurement.user ? measurement.user->name : "-", reading.device_address);
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

bool Pipeline::for_garmin(const Measurement& measurement) const
{
    return m_config.garmin.enabled && measurement.user && !measurement.user->garmin_email.empty();
}

RecordResult Pipeline::on_reading(const Reading& reading)
{
    const std::string key = reading.device_address + "|" + reading.fingerprint;
    if (m_store->already_recorded(key, reading.received_at)) {
        logger()->debug("reading already recorded, not recorded again module={} device={} fingerprint={}",
                        reading.module, reading.device_address, reading.fingerprint);
        return {Outcome::duplicate, std::nullopt, {}, std::nullopt};
    }
    Measurement measurement = complete(reading);
    if (auto recorded = m_store->record(key, measurement, for_garmin(measurement)); !recorded) {
        logger()->error("measurement not written, will try again: {} device={}", recorded.error().message,
                        reading.device_address);
        return {Outcome::failed, std::nullopt, recorded.error().message, reading};
    }
    log_recorded(measurement);
    for (const auto& observer : m_observers) {
        observer(measurement);
    }
    return {Outcome::recorded, measurement, {}, std::nullopt};
}

void Pipeline::log_recorded(const Measurement& measurement) const
{
    const Reading& reading = measurement.reading;
    if (const auto* pressure = std::get_if<BloodPressureReading>(&reading.value)) {
        logger()->info(
            "measurement recorded module={} device={} user={} blood_pressure={}/{} pulse={} time={}",
            reading.module, reading.device_address, measurement.user ? measurement.user->name : "-",
            pressure->systolic_mmhg, pressure->diastolic_mmhg, pressure->pulse_bpm,
            format_iso_utc(measurement.measured_at));
        return;
    }
    const auto& scale = std::get<ScaleReading>(reading.value);
    if (!measurement.user) {
        logger()->warn("no user's weight range matches, row kept as unassigned weight_kg={:.1f} device={}",
                       scale.weight_kg, reading.device_address);
    } else if (!measurement.composition) {
        logger()->warn("body composition not computed: {} user={}", measurement.composition_error,
                       measurement.user->name);
    }
    const auto& composition = measurement.composition;
    // What the device measured beyond weight and impedance (the S400's 250 kHz impedance and heart
    // rate): in the line only when the device sends it, as in the CSV.
    std::string extras;
    if (scale.impedance_high_ohm) {
        extras += fmt::format(" impedance_high={}", *scale.impedance_high_ohm);
    }
    if (scale.heart_rate_bpm) {
        extras += fmt::format(" heart_rate={}", *scale.heart_rate_bpm);
    }
    logger()->info(
        "measurement recorded module={} device={} user={} weight_kg={:.1f} impedance={}{} bmi={} "
        "body_fat={} time={} source={}",
        reading.module, reading.device_address, measurement.user ? measurement.user->name : "-",
        scale.weight_kg, scale.impedance_ohm ? std::to_string(*scale.impedance_ohm) : "-", extras,
        composition ? fmt::format("{:.1f}", composition->bmi) : "-",
        composition && composition->body_fat ? fmt::format("{:.1f}", *composition->body_fat) : "-",
        format_iso_utc(measurement.measured_at), reading.source.empty() ? "-" : reading.source);
}

}  // namespace ble2garmin::pipeline
