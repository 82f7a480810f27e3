#include "app/status_file.hpp"

#include <map>

#include <unistd.h>

#include "app/history_digest.hpp"
#include "fs/atomic_file.hpp"
#include "garmin/outbox/outbox_schedule.hpp"
#include "log/logging.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

constexpr std::chrono::seconds k_seen_interval{60};

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("status");
}

// A snapshot needs no fsync (see the header).
class NoSync final : public fs::FileSync {
public:
    Result<void> sync_file(int, const std::filesystem::path&) override { return {}; }
    Result<void> sync_directory(const std::filesystem::path&) override { return {}; }
};

std::vector<DeviceStatus> configured_devices(const Config& config, const std::vector<DeviceStatus>& before)
{
    std::vector<DeviceStatus> devices;
    for (const auto& device : config.devices) {
        DeviceStatus status{device.module, device.mac,   std::nullopt,
                            std::nullopt,  std::nullopt, std::nullopt};
        for (const auto& known : before) {
            if (known.address == device.mac) {
                status.last_seen = known.last_seen;
                status.rssi_dbm = known.rssi_dbm;
                status.last_reading = known.last_reading;
                status.session = known.session;
            }
        }
        devices.push_back(std::move(status));
    }
    return devices;
}

}  // namespace

StatusFile::StatusFile(const Config& config, SystemTime started_at)
{
    m_status.pid = static_cast<long>(::getpid());
    m_status.started_at = to_unix_seconds(started_at);
    m_status.scanner_state = "starting";
    reload(config);
}

void StatusFile::reload(const Config& config)
{
    m_config = config;
    m_status.devices = configured_devices(config, m_status.devices);
    auto users = latest_measurements(config);
    if (users) {
        m_status.users = std::move(*users);
    } else {
        logger()->warn("status: the users' latest measurements cannot be read: {}", users.error().message);
        m_status.users.clear();
        for (const auto& user : config.users) {
            m_status.users.push_back({user.name, std::nullopt, 0, std::nullopt, 0, 0, 0});
        }
    }
    m_changed = true;
}

void StatusFile::on_scanner(const std::string& state, const std::string& adapter)
{
    m_status.scanner_state = state;
    m_status.adapter = adapter;
    m_changed = true;
}

void StatusFile::on_advertisement(const Advertisement& advertisement)
{
    for (auto& device : m_status.devices) {
        if (device.address == advertisement.address) {
            device.last_seen = to_unix_seconds(advertisement.received_at);
            device.rssi_dbm = advertisement.rssi_dbm;
            m_seen_changed = true;
        }
    }
}

void StatusFile::on_session_started(const std::string& address)
{
    for (auto& device : m_status.devices) {
        if (device.address == address) {
            device.session = device.session.value_or(SessionStatus{});
            device.session->running = true;
            m_changed = true;
        }
    }
}

void StatusFile::on_session_ended(const std::string& address, SystemTime now, const std::string& error,
                                  std::size_t new_records)
{
    for (auto& device : m_status.devices) {
        if (device.address == address) {
            device.session = SessionStatus{false, to_unix_seconds(now), error, new_records};
            m_changed = true;
        }
    }
}

void StatusFile::on_recorded(const Measurement& measurement)
{
    const std::int64_t at = to_unix_seconds(measurement.measured_at);
    ++m_status.recorded;
    for (auto& device : m_status.devices) {
        if (device.address == measurement.reading.device_address) {
            device.last_reading = at;
        }
    }
    if (measurement.user) {
        for (auto& user : m_status.users) {
            if (user.name != measurement.user->name) {
                continue;
            }
            if (const auto* scale = std::get_if<ScaleReading>(&measurement.reading.value)) {
                user.scale_at = at;
                user.weight_kg = scale->weight_kg;
            } else if (const auto* pressure = std::get_if<BloodPressureReading>(&measurement.reading.value)) {
                user.blood_pressure_at = at;
                user.systolic = pressure->systolic_mmhg;
                user.diastolic = pressure->diastolic_mmhg;
                user.pulse = pressure->pulse_bpm;
            }
        }
    }
    m_changed = true;
}

std::vector<AccountQueue> StatusFile::queues(const store::MeasurementStore& store) const
{
    // The parked rows are the outbox's (garmin_outbox.json); it is small and read only when writing.
    const auto schedule =
        garmin::OutboxSchedule::open(m_config.general.state_directory / garmin::k_outbox_state_file);
    std::map<std::string, AccountQueue> by_account;
    const auto wait = [&](const std::string& account, std::int64_t unix_time) {
        auto& queue = by_account[account];
        queue.account = account;
        ++queue.pending;
        if (schedule.is_parked(unix_time)) {
            ++queue.parked;
        }
    };
    for (const auto& pending : store.pending_scale()) {
        wait(pending.user ? pending.user->garmin_email : std::string("(no user)"), pending.row.unix_time());
    }
    for (const auto& pending : store.pending_blood_pressure()) {
        wait(pending.email, pending.unix_time);
    }
    std::vector<AccountQueue> queues;
    for (auto& [account, queue] : by_account) {
        queues.push_back(std::move(queue));
    }
    return queues;
}

void StatusFile::on_turn(SystemTime now, const store::MeasurementStore& store, std::vector<std::string> sinks)
{
    if (sinks != m_status.sinks) {
        m_status.sinks = std::move(sinks);
        m_changed = true;
    }
    const bool seen_due = m_seen_changed && (!m_written_at || now - *m_written_at >= k_seen_interval);
    if (!m_changed && !seen_due) {
        return;
    }
    m_status.accounts = queues(store);
    write(now);
}

std::optional<SystemTime> StatusFile::next_deadline() const
{
    if (m_changed) {
        return SystemTime{};  // at once
    }
    if (m_seen_changed && m_written_at) {
        return *m_written_at + k_seen_interval;
    }
    return std::nullopt;
}

void StatusFile::stopped(SystemTime now)
{
    m_status.scanner_state = "stopped";
    write(now);
}

void StatusFile::write(SystemTime now)
{
    m_status.updated_at = to_unix_seconds(now);
    NoSync no_sync;
    const auto path = m_config.general.state_directory / k_status_file;
    auto written =
        fs::replace_file_atomically(path, format_daemon_status(m_status), {fs::k_private_file_mode}, no_sync);
    // A failed write is said once per distinct reason, not once per loop turn.
    if (!written && written.error().message != m_last_error) {
        logger()->warn("status file not written, `ble2garmin status` shows older facts: {}",
                       written.error().message);
        m_last_error = written.error().message;
    } else if (written) {
        m_last_error.clear();
    }
    // Whether or not it worked: a failed write is tried again at the next change, not every turn.
    m_changed = false;
    m_seen_changed = false;
    m_written_at = now;
}

}  // namespace ble2garmin::app
