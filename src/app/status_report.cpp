#include "app/status_report.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "app/history_digest.hpp"
#include "fs/line_reader.hpp"
#include "garmin/outbox/outbox_schedule.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {
namespace {

constexpr std::size_t k_max_status_file_bytes = 1 << 20;

// status.json without following a symbolic link (root may run `status`), bounded.
Result<std::optional<DaemonStatus>> read_status_file(const std::filesystem::path& path)
{
    auto reader = fs::LineReader::open(path);
    if (!reader) {
        return reader.error();
    }
    if (!reader->exists()) {
        return std::optional<DaemonStatus>{};
    }
    std::string text;
    fs::Line line;
    while (reader->next(line)) {
        text += line.text;
        text += '\n';
        if (text.size() > k_max_status_file_bytes) {
            return make_error("it is larger than 1 MiB");
        }
    }
    if (reader->error()) {
        return *reader->error();
    }
    auto status = parse_daemon_status(text);
    if (!status) {
        return status.error();
    }
    return std::optional<DaemonStatus>(std::move(*status));
}

std::string local_stamp(std::int64_t unix_time)
{
    std::string text = format_iso_naive_local(from_unix_seconds(unix_time));
    text[10] = ' ';
    return text.substr(0, 16);  // "2026-12-03 07:12"
}

// "2026-12-03 07:12 (28 minutes ago)"
std::string stamp_and_age(std::int64_t unix_time, SystemTime now)
{
    const auto age = std::chrono::seconds(to_unix_seconds(now) - unix_time);
    return local_stamp(unix_time) + " (" + describe_duration(age) + (age.count() >= 0 ? " ago)" : " ahead)");
}

std::string token_line(const garmin::TokenSummary& token, std::int64_t now)
{
    switch (token.state) {
        case garmin::TokenSummary::State::none:
            return "no tokens: run `ble2garmin login --email " + token.email + "`";
        case garmin::TokenSummary::State::unreadable:
            return "unreadable: " + token.problem;
        case garmin::TokenSummary::State::di:
            return "DI OAuth2, access token expires " +
                   garmin::describe_expiry(token.access_expires_at.value_or(0), now) +
                   ", refresh token expires " +
                   (token.refresh_expires_at ? garmin::describe_expiry(*token.refresh_expires_at, now)
                                             : std::string("unknown"));
        case garmin::TokenSummary::State::legacy:
            return "legacy garth OAuth1/OAuth2, access token expires " +
                   (token.access_expires_at ? garmin::describe_expiry(*token.access_expires_at, now)
                                            : std::string("(none yet)")) +
                   ", renewed with the OAuth1 token";
    }
    return {};
}

const char* token_kind(garmin::TokenSummary::State state)
{
    switch (state) {
        case garmin::TokenSummary::State::none:
            return "none";
        case garmin::TokenSummary::State::di:
            return "di_oauth2";
        case garmin::TokenSummary::State::legacy:
            return "legacy_garth";
        case garmin::TokenSummary::State::unreadable:
            return "unreadable";
    }
    return "none";
}

nlohmann::json iso_or_null(const std::optional<std::int64_t>& unix_time)
{
    return unix_time ? nlohmann::json(format_iso_utc(from_unix_seconds(*unix_time)))
                     : nlohmann::json(nullptr);
}

}  // namespace

StatusReport gather_status(const Config& config)
{
    StatusReport report;
    report.state_directory = config.general.state_directory;
    report.garmin_enabled = config.garmin.enabled;
    if (::access(config.general.state_directory.c_str(), R_OK | X_OK) != 0 && errno != ENOENT) {
        report.access_problem = fmt::format(
            "cannot read {}: {}; run as root or as the service user (sudo -u ble2garmin ble2garmin status)",
            config.general.state_directory.string(), std::strerror(errno));
        return report;
    }
    report.holder = store::find_lock_holder(config.general.state_directory);
    report.daemon_running = report.holder && report.holder->command == "run";

    auto status_file = read_status_file(config.general.state_directory / k_status_file);
    if (status_file) {
        report.daemon = std::move(*status_file);
    } else {
        report.status_file_problem = status_file.error().message;
    }
    // The status.json of a daemon that runs now is current; an older one (another pid) is not.
    const bool current =
        report.daemon_running && report.daemon && report.holder && report.daemon->pid == report.holder->pid;
    if (!current && report.daemon && report.daemon_running) {
        report.daemon.reset();  // written by an earlier run: the daemon has not written its own yet
    }

    // The devices of the configuration, with what the (last) status file knew of each.
    for (const auto& device : config.devices) {
        DeviceStatus status{device.module, device.mac,   std::nullopt,
                            std::nullopt,  std::nullopt, std::nullopt};
        if (report.daemon) {
            for (const auto& known : report.daemon->devices) {
                if (known.address == device.mac) {
                    status = known;
                }
            }
        }
        report.devices.push_back(std::move(status));
    }
    if (current) {
        report.users = report.daemon->users;
        report.accounts = report.daemon->accounts;
    } else {
        const auto schedule =
            garmin::OutboxSchedule::open(config.general.state_directory / garmin::k_outbox_state_file);
        auto digest = digest_history(config, schedule.parked());
        if (digest) {
            report.users = std::move(digest->users);
            report.accounts = std::move(digest->accounts);
        } else {
            report.history_problem = digest.error().message;
        }
    }
    for (const auto& email : garmin::token_accounts(config)) {
        report.tokens.push_back(garmin::summarize_tokens(config.garmin_token_dir(), email));
    }
    return report;
}

void write_status_text(const StatusReport& report, SystemTime now, std::ostream& out)
{
    const bool current = report.daemon_running && report.daemon;
    if (!report.access_problem.empty()) {
        out << "status:   " << report.access_problem << "\n";
        return;
    }
    if (report.daemon_running) {
        out << "daemon:   running (pid " << report.holder->pid << ")";
        if (current) {
            out << " since " << stamp_and_age(report.daemon->started_at, now);
        }
        out << "\n";
    } else if (report.holder) {
        out << "daemon:   not running; ble2garmin " << report.holder->command << " (pid "
            << report.holder->pid << ") is using " << report.state_directory.string() << "\n";
    } else {
        out << "daemon:   NOT RUNNING: start it with `systemctl start ble2garmin` (journalctl -u ble2garmin "
               "says "
               "why it stopped); what follows is read from "
            << report.state_directory.string() << "\n";
    }
    if (current) {
        out << "scanner:  " << report.daemon->scanner_state
            << (report.daemon->adapter.empty() ? "" : " on " + report.daemon->adapter) << "\n";
    } else if (report.daemon_running) {
        out << "scanner:  starting (the daemon has not written " << k_status_file << " yet)\n";
    } else if (!report.status_file_problem.empty()) {
        out << "scanner:  unknown: " << k_status_file << " cannot be read: " << report.status_file_problem
            << "\n";
    }

    out << "devices:" << (report.devices.empty() ? "  none configured\n" : "\n");
    for (const auto& device : report.devices) {
        out << "  " << device.module << " " << device.address << ": ";
        if (device.last_seen) {
            out << "last seen " << stamp_and_age(*device.last_seen, now);
            if (device.rssi_dbm) {
                out << " at " << *device.rssi_dbm << " dBm";
            }
        } else {
            out << (current ? "not seen since the start" : "not seen");
        }
        out << "; last reading "
            << (device.last_reading ? local_stamp(*device.last_reading) : std::string("none"));
        if (const auto& session = device.session) {
            if (session->running && current) {
                out << "; downloading now";
            } else if (session->ended_at && session->error.empty()) {
                out << "; last download " << local_stamp(*session->ended_at) << ", " << session->new_records
                    << (session->new_records == 1 ? " new record" : " new records");
            } else if (session->ended_at) {
                out << "; last download " << local_stamp(*session->ended_at) << " FAILED: " << session->error
                    << " (tried again at its next advertisement)";
            }
        }
        out << (current || !device.last_seen ? "" : " (last run)") << "\n";
    }

    out << "users:" << (report.users.empty() ? "    none configured\n" : "\n");
    if (!report.history_problem.empty()) {
        out << "  the backups cannot be read: " << report.history_problem << "\n";
    }
    for (const auto& user : report.users) {
        out << "  " << user.name << ": ";
        if (!user.scale_at && !user.blood_pressure_at) {
            out << "no measurement yet";
        }
        if (user.scale_at) {
            out << fmt::format("weighed {:.1f} kg {}", user.weight_kg, stamp_and_age(*user.scale_at, now));
        }
        if (user.blood_pressure_at) {
            out << (user.scale_at ? "; " : "")
                << fmt::format("blood pressure {}/{} mmHg, pulse {} {}", user.systolic, user.diastolic,
                               user.pulse, stamp_and_age(*user.blood_pressure_at, now));
        }
        out << "\n";
    }

    out << "garmin:   " << (report.garmin_enabled ? "uploads on" : "uploads off ([garmin] enabled = false)")
        << "\n";
    if (report.accounts.empty()) {
        out << "  nothing waits for an upload\n";
    }
    for (const auto& account : report.accounts) {
        out << "  " << (account.account.empty() ? "(no account)" : account.account) << ": " << account.pending
            << " waiting";
        if (account.parked > 0) {
            out << ", " << account.parked
                << " of them parked (Garmin refused them): `ble2garmin upload --list` says why";
        }
        out << "\n";
    }
    const std::int64_t now_unix = to_unix_seconds(now);
    for (const auto& token : report.tokens) {
        out << "  " << token.email << " tokens: " << token_line(token, now_unix) << "\n";
    }
    if (current) {
        for (const auto& sink : report.daemon->sinks) {
            out << "  " << sink << "\n";
        }
    }
}

std::string format_status_json(const StatusReport& report)
{
    using nlohmann::json;
    const bool current = report.daemon_running && report.daemon;
    json daemon = {
        {"running", report.daemon_running},
        {"pid", report.holder ? json(report.holder->pid) : json(nullptr)},
        {"holder", report.holder ? json(report.holder->command) : json(nullptr)},
        {"since", current ? iso_or_null(report.daemon->started_at) : json(nullptr)},
        {"status_updated_at", report.daemon ? iso_or_null(report.daemon->updated_at) : json(nullptr)}};
    json scanner = current
                       ? json{{"state", report.daemon->scanner_state}, {"adapter", report.daemon->adapter}}
                       : json(nullptr);
    json devices = json::array();
    for (const auto& device : report.devices) {
        json entry = {{"module", device.module},
                      {"address", device.address},
                      {"last_seen", iso_or_null(device.last_seen)},
                      {"rssi_dbm", device.rssi_dbm ? json(*device.rssi_dbm) : json(nullptr)},
                      {"last_reading", iso_or_null(device.last_reading)}};
        if (const auto& session = device.session) {
            entry["session"] = {{"running", session->running && current},
                                {"ended_at", iso_or_null(session->ended_at)},
                                {"error", session->error.empty() ? json(nullptr) : json(session->error)},
                                {"new_records", session->new_records}};
        }
        devices.push_back(std::move(entry));
    }
    json users = json::array();
    for (const auto& user : report.users) {
        json entry = {{"name", user.name}, {"scale", nullptr}, {"blood_pressure", nullptr}};
        if (user.scale_at) {
            entry["scale"] = {{"at", iso_or_null(user.scale_at)}, {"weight_kg", user.weight_kg}};
        }
        if (user.blood_pressure_at) {
            entry["blood_pressure"] = {{"at", iso_or_null(user.blood_pressure_at)},
                                       {"systolic", user.systolic},
                                       {"diastolic", user.diastolic},
                                       {"pulse", user.pulse}};
        }
        users.push_back(std::move(entry));
    }
    json accounts = json::array();
    for (const auto& account : report.accounts) {
        accounts.push_back(
            {{"account", account.account}, {"pending", account.pending}, {"parked", account.parked}});
    }
    json tokens = json::array();
    for (const auto& token : report.tokens) {
        tokens.push_back({{"email", token.email},
                          {"kind", token_kind(token.state)},
                          {"access_expires_at", iso_or_null(token.access_expires_at)},
                          {"refresh_expires_at", iso_or_null(token.refresh_expires_at)},
                          {"problem", token.problem.empty() ? json(nullptr) : json(token.problem)}});
    }
    const json document = {
        {"state_directory", report.state_directory.string()},
        {"access_problem", report.access_problem.empty() ? json(nullptr) : json(report.access_problem)},
        {"daemon", daemon},
        {"scanner", scanner},
        {"devices", devices},
        {"users", users},
        {"garmin", {{"enabled", report.garmin_enabled}, {"accounts", accounts}, {"tokens", tokens}}},
        {"sinks", current ? json(report.daemon->sinks) : json::array()},
        {"problems",
         {{"status_file",
           report.status_file_problem.empty() ? json(nullptr) : json(report.status_file_problem)},
          {"history", report.history_problem.empty() ? json(nullptr) : json(report.history_problem)}}}};
    return document.dump(2) + "\n";
}

}  // namespace ble2garmin::app
