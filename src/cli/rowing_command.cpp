// `ble2garmin rowing convert IN.tcx... [-o OUT.fit | --output-dir DIR] [--split-m 500]
// [--upload [--user NAME] [--config FILE]]`: converts rowing sessions exported as TCX (Coxswain or
// any other app) into FIT activities with laps every --split-m metres (docs/rowing.md), and with
// --upload sends each to the Garmin Connect account of a configured user.
//
// Every input is tried; one that fails is reported on its own line and the others still convert.
// Exit 0 when all converted (and uploaded), 1 when any did not, 2 usage, 3 configuration (also: --upload
// with [garmin] enabled = false). With [garmin] dry_run = true, --upload converts and uploads nothing.

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "fs/atomic_file.hpp"
#include "fs/file_error.hpp"
#include "garmin/connect_client.hpp"
#include "garmin/outbox/activity_upload.hpp"
#include "rowing/convert.hpp"

namespace ble2garmin::cli {
namespace {

struct RowingConvertOptions {
    std::vector<std::string> inputs;
    std::string output;
    std::string output_dir;
    double split_m = rowing::k_default_split_m;
    bool upload = false;
    std::string user;
    std::string config = k_default_config_path;
};

std::filesystem::path output_path(const RowingConvertOptions& options, const std::filesystem::path& input)
{
    if (!options.output.empty()) {
        return options.output;
    }
    std::filesystem::path name = input.filename();
    name.replace_extension(".fit");
    return options.output_dir.empty() ? input.parent_path() / name
                                      : std::filesystem::path(options.output_dir) / name;
}

// The Garmin account to upload to: --user's, or the only user with one. An Error saying which
// users there are otherwise.
Result<std::string> upload_account(const Config& config, const std::string& wanted)
{
    std::vector<const User*> with_account;
    for (const User& user : config.users) {
        if (!is_no_account(user.garmin_email)) {
            with_account.push_back(&user);
        }
        if (!wanted.empty() && user.name == wanted) {
            if (is_no_account(user.garmin_email)) {
                return make_error("user " + wanted + " has no garmin_email");
            }
            return user.garmin_email;
        }
    }
    if (!wanted.empty()) {
        return make_error("no user " + wanted + " in " + config.source.string());
    }
    if (with_account.size() == 1) {
        return with_account.front()->garmin_email;
    }
    return make_error(with_account.empty() ? "no user in " + config.source.string() + " has a garmin_email"
                                           : "several users have a Garmin account: choose one with --user");
}

// Sends `fit` to `client`; true when Garmin has it (accepted now, or 409: it had it already).
bool upload(garmin::ConnectClient& client, const std::filesystem::path& output, const Bytes& fit)
{
    const garmin::ApiResponse response = garmin::upload_activity(client, output.filename().string(), fit);
    switch (response.outcome) {
        case garmin::ApiOutcome::success:
            std::cout << "  uploaded to Garmin Connect\n";
            return true;
        case garmin::ApiOutcome::duplicate:
            std::cout << "  already in Garmin Connect (409)\n";
            return true;
        default:
            std::cerr << "rowing convert: upload of " << output.string() << " failed ("
                      << garmin::api_outcome_name(response.outcome) << "): " << response.message << "\n";
            return false;
    }
}

int convert(const RowingConvertOptions& options)
{
    if (!options.output.empty() && options.inputs.size() > 1) {
        std::cerr << "rowing convert: -o names one output file; use --output-dir for "
                  << options.inputs.size() << " inputs\n";
        return k_exit_usage;
    }
    std::unique_ptr<garmin::ConnectClient> client;
    bool dry_run = false;
    if (options.upload) {
        Config config;
        if (const int code = load_config_for_command(options.config, config); code != k_exit_ok) {
            return code;
        }
        if (!config.garmin.enabled) {
            std::cerr << "rowing convert: Garmin upload is off: set 'enabled = true' in [garmin] of "
                      << options.config << " (or convert without --upload)\n";
            return k_exit_config;
        }
        auto email = upload_account(config, options.user);
        if (!email) {
            std::cerr << "rowing convert: " << email.error().message << "\n";
            return k_exit_config;
        }
        if (config.garmin.dry_run) {
            std::cout
                << "dry run ([garmin] dry_run = true): the FIT files are written, nothing is uploaded\n";
            dry_run = true;
        }
        auto opened = dry_run ? Result<std::unique_ptr<garmin::ConnectClient>>(nullptr)
                              : garmin::ConnectClient::open(config, *email);
        if (!opened) {
            std::cerr << "rowing convert: " << opened.error().message << " (ble2garmin login)\n";
            return k_exit_failure;
        }
        client = std::move(*opened);
    }
    int exit_code = k_exit_ok;
    for (const std::string& input_text : options.inputs) {
        const std::filesystem::path input(input_text);
        const std::filesystem::path output = output_path(options, input);
        std::error_code ignored;
        if (std::filesystem::equivalent(input, output, ignored)) {
            std::cerr << "rowing convert: " << input_text << ": the output would replace the input\n";
            exit_code = k_exit_failure;
            continue;
        }
        auto converted = rowing::convert_tcx_file(input, {options.split_m, 0});
        if (!converted) {
            std::cerr << "rowing convert: " << input_text << ": " << converted.error().message << "\n";
            exit_code = k_exit_failure;
            continue;
        }
        const std::string_view bytes(reinterpret_cast<const char*>(converted->fit.data()),
                                     converted->fit.size());
        if (auto written = fs::replace_file_atomically(output, bytes, {fs::k_private_file_mode}); !written) {
            std::cerr << "rowing convert: " << output.string() << ": " << written.error().message << "\n";
            exit_code = k_exit_failure;
            continue;
        }
        std::cout << input_text << " -> " << output.string() << ": " << rowing::describe(*converted) << "\n";
        if (client && !upload(*client, output, converted->fit)) {
            exit_code = k_exit_failure;
        }
    }
    return exit_code;
}

}  // namespace

void add_rowing_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<RowingConvertOptions>();
    auto* rowing =
        app.add_subcommand("rowing", "Rowing sessions: TCX exports to FIT activities for Garmin Connect");
    rowing->require_subcommand(1);
    auto* command = rowing->add_subcommand(
        "convert",
        "Convert TCX files (Coxswain or any app) into FIT activities with laps every --split-m metres");
    command->add_option("inputs", options->inputs, "TCX files")->required()->check(CLI::ExistingFile);
    auto* output =
        command->add_option("-o,--output", options->output, "The FIT file to write (one input only)");
    command
        ->add_option("--output-dir", options->output_dir,
                     "Folder for the FIT files, named like the inputs (default: beside each input)")
        ->check(CLI::ExistingDirectory)
        ->excludes(output);
    command->add_option("--split-m", options->split_m, "Lap length in metres; the last lap is what is left")
        ->check(CLI::Range(rowing::k_min_split_m, rowing::k_max_split_m))
        ->capture_default_str();
    auto* upload =
        command->add_flag("--upload", options->upload,
                          "Also upload each FIT to Garmin Connect (409 = already there counts as done)");
    command->add_option("--user", options->user, "The [[users]] name whose Garmin account gets the uploads")
        ->needs(upload);
    command->add_option("--config", options->config, "Configuration file for --upload")
        ->capture_default_str();
    command->callback([options, &exit_code] { exit_code = convert(*options); });
}

}  // namespace ble2garmin::cli
