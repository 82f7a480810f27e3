// `ble2garmin migrate-config FILE [--output OUT] [--force] [--check]`: converts export2garmin's
// user/export2garmin.cfg to a ble2garmin TOML configuration. The TOML goes to stdout or OUT (then the
// S400 bindkey goes to `s400_bindkey` beside it, 0600), the notes (what was not migrated and why) to
// stderr; `--check` then loads the result as `check-config` does.

#include <cerrno>
#include <filesystem>
#include <iostream>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "app/load_config.hpp"
#include "cli/commands.hpp"
#include "config/loader.hpp"
#include "config/migrate/migrate_export2garmin.hpp"
#include "fs/atomic_file.hpp"
#include "fs/small_file.hpp"

namespace ble2garmin::cli {
namespace {

struct MigrateConfigOptions {
    std::string input;
    std::string output;
    bool force = false;
    bool check = false;
};

// Mode 0600: the output may hold the S400 bindkey. Without `force` an existing file is refused
// (O_EXCL decides, so there is no window between checking and creating); a symbolic link is never
// written through.
Result<void> write_new_file(const std::string& path, const std::string& text, bool force)
{
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (force ? O_TRUNC : O_EXCL);
    const int fd = ::open(path.c_str(), flags, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            return make_error(path + " already exists (use --force to overwrite it)");
        }
        if (errno == ELOOP) {
            return make_error(path + " is a symbolic link; not written through");
        }
        return make_error("cannot create " + path + ": " + std::generic_category().message(errno));
    }
    if (!fs::write_all(fd, text)) {
        std::string message = "cannot write " + path + ": " + std::generic_category().message(errno);
        ::close(fd);
        return make_error(std::move(message));
    }
    if (::close(fd) != 0) {
        return make_error("cannot write " + path + ": " + std::generic_category().message(errno));
    }
    return {};
}

// The secrets the TOML names by file, beside `output`; on failure the ones already written are
// removed again, so that a second run does not find half a migration.
Result<void> write_secrets(const std::filesystem::path& output,
                           const std::vector<config::SecretFile>& secrets, bool force)
{
    std::vector<std::filesystem::path> written;
    for (const auto& secret : secrets) {
        const auto path = output.parent_path() / secret.name;
        if (auto done = write_new_file(path.string(), secret.content, force); !done) {
            for (const auto& made : written) {
                std::filesystem::remove(made);
            }
            return done;
        }
        written.push_back(path);
    }
    return {};
}

// `--check`: the migrated configuration loaded as `check-config` loads it (every device table checked
// by its module, the bindkey file read).
int check(const MigrateConfigOptions& options, const std::string& toml)
{
    try {
        if (options.output.empty()) {
            (void)app::load_config_text(toml, "migrated configuration");
        } else {
            (void)app::load_config(options.output);
        }
    } catch (const config::ConfigError& error) {
        std::cerr << error.what()
                  << "\nmigrate-config: the migrated configuration does not pass check-config; "
                  << "fix the lines above\n";
        return k_exit_config;
    }
    std::cerr << "check-config: configuration OK\n";
    return k_exit_ok;
}

int migrate_config(const MigrateConfigOptions& options)
{
    auto text = fs::read_small_file(options.input, fs::k_max_config_bytes);
    if (!text) {
        std::cerr << "migrate-config: cannot read " << options.input << ": " << text.error().message << "\n";
        return k_exit_failure;
    }
    const config::MigrationOptions migration{!options.output.empty()};
    auto migrated = config::migrate_export2garmin(*text, options.input, migration);
    if (!migrated) {
        std::cerr << "migrate-config: " << migrated.error().message << "\n";
        return k_exit_failure;
    }
    for (const auto& note : migrated->notes) {
        std::cerr << "note: " << note << "\n";
    }
    if (options.output.empty()) {
        std::cout << migrated->toml << std::flush;
        return options.check ? check(options, migrated->toml) : k_exit_ok;
    }
    const std::filesystem::path output(options.output);
    std::error_code error;
    if (!options.force &&
        std::filesystem::symlink_status(output, error).type() != std::filesystem::file_type::not_found) {
        std::cerr << "migrate-config: " << options.output
                  << " already exists (use --force to overwrite it)\n";
        return k_exit_failure;
    }
    if (auto written = write_secrets(output, migrated->secrets, options.force); !written) {
        std::cerr << "migrate-config: " << written.error().message << "\n";
        return k_exit_failure;
    }
    if (auto written = write_new_file(options.output, migrated->toml, options.force); !written) {
        std::cerr << "migrate-config: " << written.error().message << "\n";
        return k_exit_failure;
    }
    for (const auto& secret : migrated->secrets) {
        std::cerr << "wrote " << (output.parent_path() / secret.name).string() << " (mode 0600)\n";
    }
    std::cerr << "wrote " << options.output << "\n";
    if (options.check) {
        return check(options, migrated->toml);
    }
    std::cerr << "check it with: ble2garmin check-config --config " << options.output << "\n";
    return k_exit_ok;
}

}  // namespace

void add_migrate_config_command(CLI::App& app, int& exit_code)
{
    auto options = std::make_shared<MigrateConfigOptions>();
    auto* command = app.add_subcommand(
        "migrate-config", "Convert export2garmin's export2garmin.cfg to a ble2garmin configuration");
    command->add_option("file", options->input, "export2garmin.cfg to read")->required();
    command->add_option("--output,-o", options->output, "Write the TOML to this file instead of stdout");
    command->add_flag("--force", options->force,
                      "Overwrite the --output file (and the bindkey file beside it) when it exists");
    command->add_flag("--check", options->check,
                      "Then check the result as `check-config` does (exit 3 when it does not pass)");
    command->callback([options, &exit_code] { exit_code = migrate_config(*options); });
}

}  // namespace ble2garmin::cli
