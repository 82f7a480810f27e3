#include "app/daemon_status.hpp"

#include <nlohmann/json.hpp>

namespace ble2garmin::app {
namespace {

using nlohmann::json;

template <typename T>
json optional_value(const std::optional<T>& value)
{
    return value ? json(*value) : json(nullptr);
}

template <typename T>
std::optional<T> read_optional(const json& object, const char* key)
{
    const auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return std::nullopt;
    }
    return found->get<T>();
}

template <typename T>
T read_value(const json& object, const char* key, T otherwise)
{
    const auto found = object.find(key);
    return found == object.end() || found->is_null() ? otherwise : found->get<T>();
}

}  // namespace

std::string format_daemon_status(const DaemonStatus& status)
{
    json devices = json::array();
    for (const auto& device : status.devices) {
        json entry = {{"module", device.module},
                      {"address", device.address},
                      {"last_seen", optional_value(device.last_seen)},
                      {"rssi_dbm", optional_value(device.rssi_dbm)},
                      {"last_reading", optional_value(device.last_reading)}};
        if (const auto& session = device.session) {
            entry["session"] = {{"running", session->running},
                                {"ended_at", optional_value(session->ended_at)},
                                {"error", session->error.empty() ? json(nullptr) : json(session->error)},
                                {"new_records", session->new_records}};
        }
        devices.push_back(std::move(entry));
    }
    json users = json::array();
    for (const auto& user : status.users) {
        users.push_back({{"name", user.name},
                         {"scale_at", optional_value(user.scale_at)},
                         {"weight_kg", user.weight_kg},
                         {"blood_pressure_at", optional_value(user.blood_pressure_at)},
                         {"systolic", user.systolic},
                         {"diastolic", user.diastolic},
                         {"pulse", user.pulse}});
    }
    json accounts = json::array();
    for (const auto& account : status.accounts) {
        accounts.push_back(
            {{"account", account.account}, {"pending", account.pending}, {"parked", account.parked}});
    }
    const json document = {{"format", 1},
                           {"pid", status.pid},
                           {"started_at", status.started_at},
                           {"updated_at", status.updated_at},
                           {"scanner", {{"state", status.scanner_state}, {"adapter", status.adapter}}},
                           {"devices", devices},
                           {"users", users},
                           {"accounts", accounts},
                           {"sinks", status.sinks},
                           {"recorded", status.recorded}};
    return document.dump() + "\n";
}

Result<DaemonStatus> parse_daemon_status(std::string_view text)
{
    const json document = json::parse(text, nullptr, false);
    if (!document.is_object()) {
        return make_error("it is not a JSON object");
    }
    try {
        DaemonStatus status;
        status.pid = read_value<long>(document, "pid", 0);
        status.started_at = read_value<std::int64_t>(document, "started_at", 0);
        status.updated_at = read_value<std::int64_t>(document, "updated_at", 0);
        if (const auto scanner = document.find("scanner");
            scanner != document.end() && scanner->is_object()) {
            status.scanner_state = read_value<std::string>(*scanner, "state", "");
            status.adapter = read_value<std::string>(*scanner, "adapter", "");
        }
        for (const auto& device : document.value("devices", json::array())) {
            DeviceStatus entry{read_value<std::string>(device, "module", ""),
                               read_value<std::string>(device, "address", ""),
                               read_optional<std::int64_t>(device, "last_seen"),
                               read_optional<int>(device, "rssi_dbm"),
                               read_optional<std::int64_t>(device, "last_reading"),
                               std::nullopt};
            if (const auto session = device.find("session");
                session != device.end() && session->is_object()) {
                entry.session = SessionStatus{read_value<bool>(*session, "running", false),
                                              read_optional<std::int64_t>(*session, "ended_at"),
                                              read_value<std::string>(*session, "error", ""),
                                              read_value<std::size_t>(*session, "new_records", 0)};
            }
            status.devices.push_back(std::move(entry));
        }
        for (const auto& user : document.value("users", json::array())) {
            status.users.push_back(
                {read_value<std::string>(user, "name", ""), read_optional<std::int64_t>(user, "scale_at"),
                 read_value<double>(user, "weight_kg", 0),
                 read_optional<std::int64_t>(user, "blood_pressure_at"), read_value<int>(user, "systolic", 0),
                 read_value<int>(user, "diastolic", 0), read_value<int>(user, "pulse", 0)});
        }
        for (const auto& account : document.value("accounts", json::array())) {
            status.accounts.push_back({read_value<std::string>(account, "account", ""),
                                       read_value<std::size_t>(account, "pending", 0),
                                       read_value<std::size_t>(account, "parked", 0)});
        }
        status.sinks = document.value("sinks", std::vector<std::string>{});
        status.recorded = read_value<std::uint64_t>(document, "recorded", 0);
        return status;
    } catch (const json::exception& error) {
        return make_error(std::string("a field has the wrong type: ") + error.what());
    }
}

}  // namespace ble2garmin::app
