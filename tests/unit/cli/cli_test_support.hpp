#pragma once
// The real ble2garmin binary run from a unit test: a fresh folder per test for its files, and the
// command's exit code, stdout and stderr.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../temp_dir.hpp"

namespace ble2garmin::cli::testing_support {

struct CommandRun {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string read_file(const std::filesystem::path& path)
{
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

class CliTest : public ::testing::Test {
protected:
    void SetUp() override { m_dir = m_temp.path(); }

    std::filesystem::path write(const std::string& name, const std::string& text)
    {
        const std::filesystem::path path = m_dir / name;
        std::ofstream(path) << text;
        return path;
    }

    // `ble2garmin <arguments>`; `arguments` must be shell-safe (the temp paths are).
    CommandRun run(const std::string& arguments)
    {
        const std::filesystem::path out = m_dir / "stdout";
        const std::filesystem::path err = m_dir / "stderr";
        const std::string command =
            std::string(BLE2GARMIN_BINARY) + " " + arguments + " >" + out.string() + " 2>" + err.string();
        const int status = std::system(command.c_str());
        CommandRun result;
        if (status != -1 && WIFEXITED(status)) {
            result.exit_code = WEXITSTATUS(status);
        }
        result.out = read_file(out);
        result.err = read_file(err);
        return result;
    }

    ble2garmin::testing_support::TempDir m_temp;
    std::filesystem::path m_dir;
};

}  // namespace ble2garmin::cli::testing_support
