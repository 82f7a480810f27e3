#include "cli/secret_input.hpp"

#include <fstream>
#include <iostream>

#include <termios.h>
#include <unistd.h>

namespace ble2garmin::cli {
namespace {

void strip_line_end(std::string& line)
{
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
        line.pop_back();
    }
}

}  // namespace

Result<std::string> read_secret_file(const std::filesystem::path& path)
{
    std::ifstream file(path);
    std::string line;
    if (!file || !std::getline(file, line)) {
        return make_error("cannot read the password file " + path.string());
    }
    strip_line_end(line);
    if (line.empty()) {
        return make_error("the password file " + path.string() + " starts with an empty line");
    }
    return line;
}

std::optional<std::string> read_secret_line(const std::string& prompt, bool hide)
{
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    termios saved{};
    bool echo_off = false;
    if (terminal) {
        std::cerr << prompt << std::flush;
        if (hide && ::tcgetattr(STDIN_FILENO, &saved) == 0) {
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            echo_off = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    std::string line;
    const bool got = static_cast<bool>(std::getline(std::cin, line));
    if (echo_off) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::cerr << "\n";
    }
    if (!got) {
        return std::nullopt;
    }
    strip_line_end(line);
    return line;
}

}  // namespace ble2garmin::cli
