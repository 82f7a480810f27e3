// Runs the real `ble2garmin check-config` and `migrate-config`: exit codes, stdout and stderr.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ble2garmin::cli {
namespace {

namespace fs = std::filesystem;

struct CommandRun {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string read(const fs::path& path)
{
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

class ConfigCommands : public ::testing::Test {
protected:
    void SetUp() override
    {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path() /
                ("ble2garmin-" + std::string(test->name()) + "-" + std::to_string(::getpid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    fs::path write(const std::string& name, const std::string& text)
    {
        const fs::path path = m_dir / name;
        std::ofstream(path) << text;
        return path;
    }

    // `arguments` must be shell-safe (the temp paths are).
    CommandRun run(const std::string& arguments)
    {
        const fs::path out = m_dir / "stdout";
        const fs::path err = m_dir / "stderr";
        const std::string command =
            std::string(BLE2GARMIN_BINARY) + " " + arguments + " >" + out.string() + " 2>" + err.string();
        const int status = std::system(command.c_str());
        CommandRun result;
        if (status != -1 && WIFEXITED(status)) {
            result.exit_code = WEXITSTATUS(status);
        }
        result.out = read(out);
        result.err = read(err);
        return result;
    }

    fs::path m_dir;
};

constexpr const char* k_valid =
    "[general]\n"
    "log_level = \"warn\"\n"
    "[[users]]\n"
    "name = \"anna\"\n"
    "sex = \"female\"\n"
    "height_cm = 168\n"
    "birth_date = 1984-04-02\n"
    "min_weight_kg = 50\n"
    "max_weight_kg = 65\n"
    "[devices.mi_scale]\n"
    "mac = \"c8:47:8c:00:00:01\"\n";

TEST_F(ConfigCommands, CheckConfigUnknownKeyExits3WithPosition)
{
    const fs::path path = write("bad.toml", "[general]\nlog_level = \"info\"\nlog_colour = \"red\"\n");
    const CommandRun result = run("check-config --config " + path.string());
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_NE(result.err.find(path.string() + ":3:1: unknown key 'log_colour' in [general]"),
              std::string::npos)
        << result.err;
    EXPECT_EQ(result.out, "");
}

TEST_F(ConfigCommands, CheckConfigModuleProblemExits3WithPosition)
{
    const fs::path path = write("module.toml", std::string(k_valid) + "weight_only_after_seconds = 0\n");
    const CommandRun result = run("check-config --config " + path.string());
    EXPECT_EQ(result.exit_code, 3);
    // "weight_only_after_seconds = " is 28 characters.
    EXPECT_NE(result.err.find(path.string() + ":12:29:"), std::string::npos) << result.err;
}

TEST_F(ConfigCommands, CheckConfigValidFilePrintsTheEffectiveConfig)
{
    const fs::path path = write("good.toml", k_valid);
    const CommandRun result = run("check-config --config " + path.string());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.err.find("configuration OK"), std::string::npos) << result.err;
    EXPECT_NE(result.out.find("log_level = \"warn\""), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("duplicate_window_seconds = 1800"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("mac = \"C8:47:8C:00:00:01\""), std::string::npos) << result.out;

    // The printed configuration is itself a valid configuration.
    const fs::path again = write("again.toml", result.out);
    const CommandRun second = run("check-config --config " + again.string());
    EXPECT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(second.out, result.out);
}

TEST_F(ConfigCommands, CheckConfigMissingFileExits3)
{
    const CommandRun result = run("check-config --config " + (m_dir / "absent.toml").string());
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_NE(result.err.find("absent.toml: cannot read the configuration"), std::string::npos) << result.err;
}

TEST_F(ConfigCommands, MigrateConfigPrintsTomlAndNotes)
{
    const std::string fixture = BLE2GARMIN_TEST_DATA_DIR "/export2garmin/export2garmin.cfg";
    const CommandRun result = run("migrate-config " + fixture);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("[devices.mi_scale]"), std::string::npos) << result.out;
    EXPECT_NE(result.err.find("note: "), std::string::npos) << result.err;

    // What it prints passes check-config.
    const fs::path migrated = write("migrated.toml", result.out);
    EXPECT_EQ(run("check-config --config " + migrated.string()).exit_code, 0);
}

TEST_F(ConfigCommands, MigrateConfigOutputRefusesToOverwrite)
{
    const std::string fixture = BLE2GARMIN_TEST_DATA_DIR "/export2garmin/export2garmin.cfg";
    const fs::path output = m_dir / "out.toml";
    EXPECT_EQ(run("migrate-config " + fixture + " --output " + output.string()).exit_code, 0);
    EXPECT_EQ(fs::status(output).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    const std::string first = read(output);
    EXPECT_NE(first.find("[[users]]"), std::string::npos);

    std::ofstream(output) << "keep me\n";
    const CommandRun refused = run("migrate-config " + fixture + " --output " + output.string());
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("already exists"), std::string::npos) << refused.err;
    EXPECT_EQ(read(output), "keep me\n");

    EXPECT_EQ(run("migrate-config " + fixture + " --output " + output.string() + " --force").exit_code, 0);
    EXPECT_EQ(read(output), first);
}

TEST_F(ConfigCommands, MigrateConfigUnreadableInputExits1)
{
    const CommandRun result = run("migrate-config " + (m_dir / "missing.cfg").string());
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("cannot read"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace ble2garmin::cli
