#pragma once
// Helpers shared by the store tests: the temp directory (../temp_dir.hpp), whole-file I/O, a time-zone guard
// and a fs::FileSync that records what was flushed.

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../temp_dir.hpp"
#include "fs/file_sync.hpp"

namespace ble2garmin::store::testing_support {

using ble2garmin::testing_support::TempDir;

inline std::string read_text(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_text(const std::filesystem::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

// Lines of '\n'-terminated text, without the '\n'.
inline std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

// Sets TZ for the test's lifetime and restores the previous value.
class ScopedTimeZone {
public:
    explicit ScopedTimeZone(const char* zone)
    {
        if (const char* old = std::getenv("TZ"); old != nullptr) {
            m_old = old;
        }
        ::setenv("TZ", zone, 1);
        ::tzset();
    }
    ScopedTimeZone(const ScopedTimeZone&) = delete;
    ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;
    ~ScopedTimeZone()
    {
        if (m_old) {
            ::setenv("TZ", m_old->c_str(), 1);
        } else {
            ::unsetenv("TZ");
        }
        ::tzset();
    }

private:
    std::optional<std::string> m_old;
};

// Forwards to the real fsync and records each call; can be told to fail instead.
class RecordingFileSync final : public fs::FileSync {
public:
    Result<void> sync_file(int fd, const std::filesystem::path& path) override
    {
        files.push_back(path);
        if (fail_files) {
            return make_error("injected fsync failure");
        }
        return fs::system_file_sync().sync_file(fd, path);
    }
    Result<void> sync_directory(const std::filesystem::path& directory) override
    {
        directories.push_back(directory);
        if (fail_directories) {
            return make_error("injected directory fsync failure");
        }
        return fs::system_file_sync().sync_directory(directory);
    }

    std::vector<std::filesystem::path> files;
    std::vector<std::filesystem::path> directories;
    bool fail_files = false;
    bool fail_directories = false;
};

// Files in `directory` whose names start with `prefix`.
inline std::vector<std::string> files_starting_with(const std::filesystem::path& directory,
                                                    const std::string& prefix)
{
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) == 0) {
            names.push_back(name);
        }
    }
    return names;
}

}  // namespace ble2garmin::store::testing_support
