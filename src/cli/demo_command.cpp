// `ble2garmin demo [--output DIR]`: the product end to end without hardware. A recorded morning
// at a Mi Body Composition Scale 2 (data/demo/morning.replay, built into the binary) runs through
// the real pipeline with a built-in two-person config (data/demo/demo.toml) and leaves a real
// miscale_backup.csv in DIR.

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/load_config.hpp"
#include "app/replay_runner.hpp"
#include "cli/commands.hpp"
#include "config/loader.hpp"
#include "log/logging.hpp"
#include "store/measurement_journal.hpp"

namespace ble2garmin::demo {
extern const std::string_view k_session;
extern const std::string_view k_config;
}  // namespace ble2garmin::demo

namespace ble2garmin::cli {
namespace {

struct DemoOptions {
    std::string output = "ble2garmin-demo";
};

void print_summary(const app::ReplaySummary& summary)
{
    std::cout << "  " << summary.advertisements << " advertisements, " << summary.recorded
              << " measurements recorded (" << summary.unassigned << " unassigned), " << summary.duplicates
              << " duplicates ignored\n";
}

int demo(const DemoOptions& options)
{
    // Warnings only: the printout below already says what was recorded.
    (void)logging::init("warn");
    Config config = load_config_text(demo::k_config, "demo.toml");
    config.general.state_directory = std::filesystem::absolute(options.output);
    // A fresh start for the files this demo owns — only in a directory the demo made (marker
    // file), so `--output /var/lib/ble2garmin` cannot wipe a real backup.
    const auto marker = config.general.state_directory / ".ble2garmin-demo";
    std::error_code ignored;
    if (std::filesystem::exists(config.miscale_csv_path()) && !std::filesystem::exists(marker)) {
        std::cerr << "demo: " << config.miscale_csv_path().string()
                  << " exists and was not written by the demo; choose another --output directory\n";
        return k_exit_failure;
    }
    std::filesystem::create_directories(config.general.state_directory, ignored);
    std::ofstream(marker)
        << "written by `ble2garmin demo`; the demo may overwrite this directory's backups\n";
    std::filesystem::remove(config.miscale_csv_path(), ignored);
    std::filesystem::remove(config.general.state_directory / store::k_journal_file, ignored);

    const auto session = replay::parse_replay(demo::k_session, "demo");
    std::cout << "ble2garmin demo: a recorded morning at a Mi Body Composition Scale 2 ("
              << config.devices.front().mac << "), users Alice and Bob\n\n";
    auto first = app::run_replay(config, session, std::cout);
    if (!first) {
        std::cerr << "demo: " << first.error().message << "\n";
        return k_exit_runtime;
    }
    std::cout << "\n";
    print_summary(*first);

    std::cout << "\nThe same advertisements again, as after a restart while the scale still advertises:\n";
    auto second = app::run_replay(config, session, std::cout);
    if (!second) {
        std::cerr << "demo: " << second.error().message << "\n";
        return k_exit_runtime;
    }
    print_summary(*second);

    std::cout << "\n" << config.miscale_csv_path().string() << " (export2garmin format):\n";
    std::ifstream csv(config.miscale_csv_path());
    std::cout << csv.rdbuf();
    return first->failed == 0 && second->failed == 0 ? k_exit_ok : k_exit_failure;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<DemoOptions>();
    auto* command =
        app.add_subcommand("demo", "Run a recorded weighing session end to end (no hardware needed)");
    command->add_option("--output", options->output, "Directory for the demo's CSV backup")
        ->capture_default_str();
    command->callback([options, &exit_code] { exit_code = demo(*options); });
}

}  // namespace ble2garmin::cli
