#include "app/mqtt_states.hpp"

#include <charconv>

#include "pipeline/store_setup.hpp"
#include "store/omron/omron_row.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

template <typename T>
std::optional<T> number(const std::string& text)
{
    T value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

const User* user_by_account(const Config& config, std::string_view account)
{
    for (const auto& user : config.users) {
        if ((!user.garmin_email.empty() && user.garmin_email == account) || user.name == account) {
            return &user;
        }
    }
    return nullptr;
}

}  // namespace

std::optional<ScaleStateFor> scale_state(const Measurement& measurement)
{
    const auto* scale = std::get_if<ScaleReading>(&measurement.reading.value);
    if (scale == nullptr || !measurement.user) {
        return std::nullopt;
    }
    ScaleStateFor out;
    out.user = measurement.user->name;
    auto& state = out.state;
    state.measured_at = measurement.measured_at;
    state.weight_kg = scale->weight_kg;
    state.impedance_ohm = scale->impedance_ohm;
    state.impedance_high_ohm = scale->impedance_high_ohm;
    state.heart_rate_bpm = scale->heart_rate_bpm;
    state.battery_volts = scale->battery_volts;
    state.battery_percent = scale->battery_percent;
    state.composition = measurement.composition;
    state.device = measurement.reading.device_address;
    state.source = measurement.reading.source;
    return out;
}

std::optional<BloodPressureStateFor> blood_pressure_state(const Measurement& measurement,
                                                          const std::string& category_standard)
{
    const auto* pressure = std::get_if<BloodPressureReading>(&measurement.reading.value);
    if (pressure == nullptr || !measurement.user) {
        return std::nullopt;
    }
    BloodPressureStateFor out;
    out.user = measurement.user->name;
    auto& state = out.state;
    state.measured_at = measurement.measured_at;
    state.systolic_mmhg = pressure->systolic_mmhg;
    state.diastolic_mmhg = pressure->diastolic_mmhg;
    state.pulse_bpm = pressure->pulse_bpm;
    state.movement = pressure->movement;
    state.irregular_heartbeat = pressure->irregular_heartbeat;
    state.category = std::string(
        store::blood_pressure_category(pressure->systolic_mmhg, pressure->diastolic_mmhg, category_standard));
    state.device = measurement.reading.device_address;
    state.source = measurement.reading.source;
    return out;
}

std::optional<ScaleStateFor> scale_state(const store::MiscaleRow& row, const Config& config,
                                         const store::MeasurementStore& store)
{
    if (row.status() == store::RowStatus::unassigned) {
        return std::nullopt;
    }
    std::optional<User> user;
    std::optional<body::Composition> composition;
    for (const auto& pending : store.pending_scale()) {
        if (pending.row.unix_time() == row.unix_time()) {
            user = pending.user;
            composition = pending.composition;
        }
    }
    if (!user) {
        std::optional<std::string> owner;
        if (const auto email = row.email()) {
            const User* by_account = user_by_account(config, *email);
            if (by_account == nullptr) {
                return std::nullopt;  // a user no longer configured
            }
            owner = by_account->name;
        }
        auto completion = pipeline::complete_row(config.users, row, owner);
        user = std::move(completion.user);
        composition = std::move(completion.composition);
    }
    if (!user) {
        return std::nullopt;
    }
    ScaleStateFor out;
    out.user = user->name;
    auto& state = out.state;
    state.measured_at = from_unix_seconds(row.unix_time());
    state.weight_kg = row.weight_kg();
    state.impedance_ohm = row.impedance_ohm();
    state.composition = std::move(composition);
    // The raw device fields at the end of the row: "batV;bat%" then "Z250k;HR", as the file's header has
    // them.
    const auto extras = row.extras();
    std::size_t next = 0;
    const auto columns = store.scale_columns();
    if (columns.battery && extras.size() >= next + 2) {
        state.battery_volts = number<double>(extras[next]);
        state.battery_percent = number<int>(extras[next + 1]);
        next += 2;
    }
    if (columns.s400 && extras.size() >= next + 2) {
        state.impedance_high_ohm = number<int>(extras[next]);
        state.heart_rate_bpm = number<int>(extras[next + 1]);
    }
    return out;
}

std::optional<BloodPressureStateFor> blood_pressure_state(const store::OmronRow& row, const Config& config)
{
    if (row.status == store::RowStatus::unassigned) {
        return std::nullopt;
    }
    const User* user = user_by_account(config, row.email);
    if (user == nullptr || row.email.empty()) {
        return std::nullopt;
    }
    BloodPressureStateFor out;
    out.user = user->name;
    auto& state = out.state;
    state.measured_at = from_unix_seconds(row.unix_time);
    state.systolic_mmhg = row.systolic;
    state.diastolic_mmhg = row.diastolic;
    state.pulse_bpm = row.pulse;
    // Pending rows: status;T;date;time;SYS;DIA;BPM;MOV;IHB;email; complete rows have the Category before MOV.
    const std::size_t mov = row.complete() ? 8 : 7;
    if (row.fields.size() > mov + 1) {
        state.movement = row.fields[mov] == "1";
        state.irregular_heartbeat = row.fields[mov + 1] == "1";
    }
    state.category = row.complete()
                         ? row.fields[7]
                         : std::string(store::blood_pressure_category(
                               row.systolic, row.diastolic, config.storage.blood_pressure_category));
    return out;
}

}  // namespace ble2garmin::app
