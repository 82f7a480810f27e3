#pragma once
// The one temp-directory fixture of the unit tests: a fresh directory under ::testing::TempDir(),
// removed with everything in it.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

namespace ble2garmin::testing_support {

// A fresh directory under ::testing::TempDir(), removed with everything in it.
class TempDir {
public:
    TempDir()
    {
        std::string pattern = ::testing::TempDir() + "ble2garmin-test-XXXXXX";
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        if (::mkdtemp(buffer.data()) == nullptr) {
            ADD_FAILURE() << "mkdtemp failed for " << pattern;
        }
        m_path = buffer.data();
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

}  // namespace ble2garmin::testing_support
