// Runs the real `ble2garmin check-config` and `migrate-config`: exit codes, stdout and stderr.

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "cli_test_support.hpp"

namespace ble2garmin::cli {
namespace {

namespace fs = std::filesystem;

using testing_support::CommandRun;
using testing_support::read_file;

class ConfigCommands : public testing_support::CliTest {};

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

TEST_F(ConfigCommands, TwoCuffsWithTheirOwnSlots)
{
    // Two cuffs; bea is slot 2 on the first and slot 1 on the second; adam names a third address.
    const std::string text = std::string(k_valid) +
                             "[[devices.omron]]\nmac = \"00:5f:bf:00:00:01\"\nmodel = \"hem-7155t\"\n"
                             "[[devices.omron]]\nmac = \"00:5F:BF:00:00:02\"\nmodel = \"hem-7322t\"\n"
                             "[[users]]\nname = \"bea\"\nsex = \"female\"\nheight_cm = 170\n"
                             "birth_date = 1990-01-01\nmin_weight_kg = 66\nmax_weight_kg = 80\n"
                             "omron_slot = { \"00:5F:BF:00:00:01\" = 2, \"00:5f:bf:00:00:02\" = 1 }\n"
                             "[[users]]\nname = \"adam\"\nsex = \"male\"\nheight_cm = 180\n"
                             "birth_date = 1980-01-01\nmin_weight_kg = 81\nmax_weight_kg = 100\n"
                             "omron_slot = { \"00:5F:BF:00:00:09\" = 1 }\n";
    const fs::path path = write("cuffs.toml", text);
    const CommandRun result = run("check-config --config " + path.string());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("omron_slot = { \"00:5F:BF:00:00:01\" = 2, \"00:5F:BF:00:00:02\" = 1 }"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.err.find("user 'adam' has omron_slot 1 on 00:5F:BF:00:00:09, which no [devices.*] table "
                              "names"),
              std::string::npos)
        << result.err;
    EXPECT_EQ(result.err.find("user 'bea' has"), std::string::npos) << result.err;

    // Slot 2 of the first cuff twice.
    const fs::path twice =
        write("twice.toml", text +
                                "[[users]]\nname = \"cleo\"\nsex = \"female\"\n"
                                "height_cm = 160\nbirth_date = 2000-01-01\n"
                                "min_weight_kg = 40\nmax_weight_kg = 49\nomron_slot = 2\n");
    const CommandRun refused = run("check-config --config " + twice.string());
    EXPECT_EQ(refused.exit_code, 3);
    EXPECT_NE(refused.err.find("'users.omron_slot' 2 is already used by the user at "), std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find("(on 00:5F:BF:00:00:01)"), std::string::npos) << refused.err;
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
    const std::string first = read_file(output);
    EXPECT_NE(first.find("[[users]]"), std::string::npos);

    std::ofstream(output) << "keep me\n";
    const CommandRun refused = run("migrate-config " + fixture + " --output " + output.string());
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("already exists"), std::string::npos) << refused.err;
    EXPECT_EQ(read_file(output), "keep me\n");

    EXPECT_EQ(run("migrate-config " + fixture + " --output " + output.string() + " --force").exit_code, 0);
    EXPECT_EQ(read_file(output), first);
}

TEST_F(ConfigCommands, MigrateConfigUnreadableInputExits1)
{
    const CommandRun result = run("migrate-config " + (m_dir / "missing.cfg").string());
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("cannot read"), std::string::npos) << result.err;
}

TEST_F(ConfigCommands, ANameWithATabOrLineBreakIsRefusedAtItsPosition)
{
    const std::string user =
        std::string(k_valid).replace(std::string(k_valid).find("\"anna\""), 6, "\"an\\tna\"");
    const fs::path path = write("tab.toml", user);
    const CommandRun result = run("check-config --config " + path.string());
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_NE(result.err.find(path.string() + ":4:8: 'users.name' must not contain a tab, line break"),
              std::string::npos)
        << result.err;
}

TEST_F(ConfigCommands, AConfigThatDoesNothingLoadsWithWarnings)
{
    const fs::path path = write("empty.toml", "# nothing configured yet\n");
    const CommandRun result = run("check-config --config " + path.string());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.err.find(path.string() + ": warning: no device is configured"), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find(path.string() + ": warning: no user is configured"), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("configuration OK (2 warning(s) above)"), std::string::npos) << result.err;
}

TEST_F(ConfigCommands, AUserWhoCanNeverBeChosenIsNamed)
{
    std::string text = k_valid;
    text +=
        "[[users]]\nname = \"bea\"\nsex = \"female\"\nheight_cm = 160\nbirth_date = 1990-01-01\n"
        "min_weight_kg = 50\nmax_weight_kg = 65\n";
    const CommandRun result = run("check-config --config " + write("twins.toml", text).string());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.err.find("warning: user 'bea' can never be chosen by weight"), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("('anna' at its middle)"), std::string::npos) << result.err;
}

TEST_F(ConfigCommands, AnUnclosedStringIsSaidInWords)
{
    const fs::path path = write("open.toml", "[general]\nlog_level = \"info\n");
    const CommandRun result = run("check-config --config " + path.string());
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_NE(
        result.err.find(path.string() + ":2:18: the string is not closed: add the closing \" before the end "
                                        "of line 2"),
        std::string::npos)
        << result.err;
}

TEST_F(ConfigCommands, ALongBadValueIsCutInTheMessage)
{
    const std::string huge(200'000, 'x');
    const fs::path path = write("long.toml", "[general]\nlog_level = \"" + huge + "\"\n");
    const CommandRun result = run("check-config --config " + path.string());
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_LT(result.err.size(), 400U) << result.err.substr(0, 400);
    EXPECT_NE(result.err.find("…(200000 characters)"), std::string::npos) << result.err.substr(0, 400);
}

TEST_F(ConfigCommands, ADirectoryOrAnEndlessFileIsNamedAsSuch)
{
    const CommandRun directory = run("check-config --config " + m_dir.string());
    EXPECT_EQ(directory.exit_code, 3);
    EXPECT_NE(
        directory.err.find(m_dir.string() + ": cannot read the configuration: it is a directory, not a file"),
        std::string::npos)
        << directory.err;
    const CommandRun endless = run("check-config --config /dev/zero");
    EXPECT_EQ(endless.exit_code, 3);
    EXPECT_NE(endless.err.find("/dev/zero: cannot read the configuration: it is larger than 1 MiB"),
              std::string::npos)
        << endless.err;
    std::string config = k_valid;
    config.replace(0, 10, "[general]\nstate_directory = \"" + (m_dir / "state").string() + "\"\n");
    const CommandRun replay = run("replay /dev/zero --config " + write("ok.toml", config).string());
    EXPECT_NE(replay.exit_code, 0);
    EXPECT_NE(replay.err.find("/dev/zero: it is larger than 64 MiB"), std::string::npos) << replay.err;
}

}  // namespace
}  // namespace ble2garmin::cli

namespace ble2garmin::cli {
namespace {

TEST_F(ConfigCommands, CheckConfigValidatesTheOmronTable)
{
    const fs::path path = write("omron.toml",
                                "[devices.omron]\nmac = \"00:5f:bf:4a:11:22\"\nmodel = "
                                "\"hem-9999t\"\nsync_time = \"yes\"\nkeyy = 1\n");
    const CommandRun result = run("check-config --config " + path.string());
    EXPECT_EQ(result.exit_code, 3);
    // model = "hem-9999t": the value starts at column 9; sync_time's at 13; the unknown key at 1.
    EXPECT_NE(
        result.err.find(path.string() + ":3:9: 'devices.omron.model' \"hem-9999t\" is not a supported cuff"),
        std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find(path.string() + ":4:13:"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find(path.string() + ":5:1: unknown key 'keyy'"), std::string::npos) << result.err;
}

TEST_F(ConfigCommands, CheckConfigRefusesAWriteOptionTheModelCannotDo)
{
    const fs::path path = write("omron.toml",
                                "[devices.omron]\nmac = \"00:5f:bf:4a:11:22\"\nmodel = \"hem-6232t\"\n"
                                "sync_time = true\n");
    const CommandRun result = run("check-config --config " + path.string());
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_NE(result.err.find(":4:13: 'devices.omron.sync_time' is not supported on the hem-6232t"),
              std::string::npos)
        << result.err;
}

}  // namespace
}  // namespace ble2garmin::cli
