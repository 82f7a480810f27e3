// `ble2garmin migrate-config FILE [--output OUT] [--force]`: converts export2garmin's
// user/export2garmin.cfg to a ble2garmin TOML configuration. The TOML goes to stdout or OUT, the
// notes (what was not migrated and why) to stderr.

#include <cerrno>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "config/migrate/migrate_export2garmin.hpp"

namespace ble2garmin::cli {
namespace {

struct MigrateConfigOptions {
    std::string input;
    std::string output;
    bool force = false;
};

Result<std::string> read_text(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return make_error("cannot read " + path + ": " + std::generic_category().message(errno));
    }
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) {
        return make_error("cannot read " + path);
    }
    return text.str();
}

// Mode 0600: the output may hold the S400 bindkey. Without `force` an existing file is refused
// (O_EXCL decides, so there is no window between checking and creating).
Result<void> write_new_file(const std::string& path, const std::string& text, bool force)
{
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL);
    const int fd = ::open(path.c_str(), flags, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            return make_error(path + " already exists (use --force to overwrite it)");
        }
        return make_error("cannot create " + path + ": " + std::generic_category().message(errno));
    }
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            std::string message = "cannot write " + path + ": " + std::generic_category().message(errno);
            ::close(fd);
            return make_error(std::move(message));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {
        return make_error("cannot write " + path + ": " + std::generic_category().message(errno));
    }
    return {};
}

int migrate_config(const MigrateConfigOptions& options)
{
    auto text = read_text(options.input);
    if (!text) {
        std::cerr << "migrate-config: " << text.error().message << "\n";
        return k_exit_failure;
    }
    auto migrated = config::migrate_export2garmin(*text, options.input);
    if (!migrated) {
        std::cerr << "migrate-config: " << migrated.error().message << "\n";
        return k_exit_failure;
    }
    for (const auto& note : migrated->notes) {
        std::cerr << "note: " << note << "\n";
    }
    if (options.output.empty()) {
        std::cout << migrated->toml;
        return k_exit_ok;
    }
    if (auto written = write_new_file(options.output, migrated->toml, options.force); !written) {
        std::cerr << "migrate-config: " << written.error().message << "\n";
        return k_exit_failure;
    }
    std::cerr << "wrote " << options.output << "; check it with: ble2garmin check-config --config "
              << options.output << "\n";
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
    command->add_flag("--force", options->force, "Overwrite the --output file when it exists");
    command->callback([options, &exit_code] { exit_code = migrate_config(*options); });
}

}  // namespace ble2garmin::cli
