// `ble2garmin report [--output report.html] [--user NAME] [--since DATE] [--config FILE]`: the history
// as one self-contained HTML page with charts (report/html_report.hpp). Read-only on the state
// directory, so it runs beside the daemon. Exit 0, 1 when the page cannot be made (unknown user,
// unreadable backup, unwritable output), 2 for a malformed --since, 3 for an invalid configuration.

#include <chrono>
#include <ctime>
#include <iostream>

#include "cli/commands.hpp"
#include "report/html_report.hpp"
#include "util/time.hpp"

namespace ble2garmin::cli {
namespace {

struct ReportCommandOptions {
    std::string config = k_default_config_path;
    std::string output = "report.html";
    std::string user;
    std::string since;
};

int report(const ReportCommandOptions& options)
{
    Config config;
    if (const int code = load_config_for_command(options.config, config); code != k_exit_ok) {
        return code;
    }
    report::ReportOptions report_options;
    report_options.output = options.output;
    report_options.user = options.user;
    report_options.now = std::chrono::system_clock::now();
    if (!options.since.empty()) {
        const auto date = parse_iso_date(options.since);
        if (!date) {
            std::cerr << "report: --since " << options.since << ": expected a date as YYYY-MM-DD\n";
            return k_exit_usage;
        }
        // Midnight of that day in the configured time zone (mktime reads the zone use_time_zone set).
        std::tm midnight{};
        midnight.tm_year = static_cast<int>(date->year()) - 1900;
        midnight.tm_mon = static_cast<int>(static_cast<unsigned>(date->month())) - 1;
        midnight.tm_mday = static_cast<int>(static_cast<unsigned>(date->day()));
        midnight.tm_isdst = -1;
        report_options.since = from_unix_seconds(static_cast<std::int64_t>(std::mktime(&midnight)));
    }
    const auto started = std::chrono::steady_clock::now();
    auto summary = report::write_report(config, report_options);
    if (!summary) {
        std::cerr << "report: " << summary.error().message << "\n";
        return k_exit_failure;
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::cout << "report: " << options.output << " (" << (summary->bytes + 1023) / 1024
              << " KiB): " << summary->users << " user(s), " << summary->scale_rows << " weighings, "
              << summary->blood_pressure_rows << " blood-pressure readings, in " << elapsed.count()
              << " ms\n";
    return k_exit_ok;
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<ReportCommandOptions>();
    auto* command = app.add_subcommand("report",
                                       "Write the history as one HTML page with charts (weight, body fat, "
                                       "blood pressure) and the last readings; "
                                       "self-contained, no network");
    command->add_option("--output", options->output, "HTML file to write (mode 0600)")->capture_default_str();
    command->add_option("--user", options->user, "Only this user (a [[users]] name); default: every user");
    command->add_option("--since", options->since,
                        "Only readings from this date on (YYYY-MM-DD, local time)");
    command->add_option("--config", options->config, "Configuration file")->capture_default_str();
    command->callback([options, &exit_code] { exit_code = report(*options); });
}

}  // namespace ble2garmin::cli
