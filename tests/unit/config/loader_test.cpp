// The loader's messages: every problem at "file:line:column" (positions counted by hand below).

#include "config/loader.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "../temp_dir.hpp"

namespace ble2garmin::config {
namespace {

constexpr std::string_view k_modules[] = {"mi_scale", "omron"};
// As a module would declare it (the S400's, docs/configuration.md).
constexpr DeviceUserKey k_user_keys[] = {{"s400_profile_id", 255}};

Config load(std::string_view text)
{
    return parse(text, "file.toml", k_modules, k_user_keys);
}

// The message of the ConfigError that `text` raises; fails the test when it loads.
std::string error_of(std::string_view text)
{
    try {
        (void)load(text);
    } catch (const ConfigError& error) {
        return error.what();
    }
    ADD_FAILURE() << "no ConfigError for:\n" << text;
    return {};
}

constexpr std::string_view k_valid_user =
    "[[users]]\n"
    "name = \"anna\"\n"
    "sex = \"female\"\n"
    "height_cm = 168\n"
    "birth_date = 1984-04-02\n"
    "min_weight_kg = 50\n"
    "max_weight_kg = 65.5\n";

TEST(ConfigLoader, EmptyTextGivesTheDefaults)
{
    const Config config = load("");
    const Config defaults;
    EXPECT_EQ(config.general.state_directory, defaults.general.state_directory);
    EXPECT_EQ(config.general.timezone, "");
    EXPECT_EQ(config.general.log_level, "info");
    EXPECT_EQ(config.storage.miscale_csv, "miscale_backup.csv");
    EXPECT_EQ(config.pipeline.duplicate_window_seconds, 1800);
    EXPECT_EQ(config.pipeline.scale_clock, ScaleClockPolicy::automatic);
    EXPECT_EQ(config.pipeline.scale_clock_tolerance_seconds, 1200);
    EXPECT_EQ(config.pipeline.scale_clock_offset_seconds, 0);
    EXPECT_TRUE(config.users.empty());
    EXPECT_TRUE(config.devices.empty());
    EXPECT_TRUE(config.source.empty());
}

TEST(ConfigLoader, ReadsEverySection)
{
    const Config config = load(
        "[general]\nstate_directory = \"/srv/b2g\"\nlog_level = \"debug\"\n"
        "[storage]\nmiscale_csv = \"/data/scale.csv\"\n"
        "[pipeline]\nduplicate_window_seconds = 0\nscale_clock = \"receive\"\n"
        "scale_clock_tolerance_seconds = 60\nscale_clock_offset_seconds = -3600\n" +
        std::string(k_valid_user) + "garmin_email = \"anna@example.com\"\n");
    EXPECT_EQ(config.general.state_directory, "/srv/b2g");
    EXPECT_EQ(config.general.log_level, "debug");
    EXPECT_EQ(config.miscale_csv_path(), "/data/scale.csv");
    EXPECT_EQ(config.omron_csv_path(), "/srv/b2g/omron_backup.csv");
    EXPECT_EQ(config.pipeline.duplicate_window_seconds, 0);
    EXPECT_EQ(config.pipeline.scale_clock, ScaleClockPolicy::receive);
    EXPECT_EQ(config.pipeline.scale_clock_tolerance_seconds, 60);
    EXPECT_EQ(config.pipeline.scale_clock_offset_seconds, -3600);
    ASSERT_EQ(config.users.size(), 1U);
    const User& anna = config.users[0];
    EXPECT_EQ(anna.name, "anna");
    EXPECT_EQ(anna.sex, Sex::female);
    EXPECT_DOUBLE_EQ(anna.height_cm, 168);
    EXPECT_EQ(anna.birth_date, std::chrono::year{1984} / 4 / 2);
    EXPECT_EQ(anna.garmin_email, "anna@example.com");
    EXPECT_DOUBLE_EQ(anna.min_weight_kg, 50);
    EXPECT_DOUBLE_EQ(anna.max_weight_kg, 65.5);
}

TEST(ConfigLoader, UnknownKeyIsReportedAtTheKey)
{
    // line 3, column 3: the indented key
    const std::string message = error_of("[general]\nlog_level = \"info\"\n  colour = true\n");
    EXPECT_NE(message.find("file.toml:3:3: unknown key 'colour' in [general]"), std::string::npos) << message;
    EXPECT_NE(message.find("state_directory, timezone, log_level"), std::string::npos) << message;
}

TEST(ConfigLoader, UnknownTopLevelKeyAndTable)
{
    const std::string message = error_of("verbose = true\n[homekit]\nhost = \"x\"\n");
    EXPECT_NE(message.find("file.toml:1:1: unknown key 'verbose' at the top level"), std::string::npos)
        << message;
    EXPECT_NE(message.find("file.toml:2:2: unknown key 'homekit' at the top level"), std::string::npos)
        << message;
}

TEST(ConfigLoader, WrongTypeIsReportedAtTheValueWithTheExpectedType)
{
    // "duplicate_window_seconds = " is 27 characters: the value starts in column 28.
    const std::string message = error_of("[pipeline]\nduplicate_window_seconds = \"30\"\n");
    EXPECT_EQ(message,
              "file.toml:2:28: 'pipeline.duplicate_window_seconds' must be an integer (found a string)");
}

TEST(ConfigLoader, SectionOfTheWrongType)
{
    const std::string message = error_of("general = 5\n");
    EXPECT_EQ(message, "file.toml:1:11: 'general' must be a table (found an integer)");
}

TEST(ConfigLoader, SyntaxErrorComesFromTomlWithItsPosition)
{
    // The value is missing: toml++ stops at the end of line 2 ("log_level = " is 12 characters).
    const std::string message = error_of("[general]\nlog_level = \n");
    EXPECT_EQ(message.rfind("file.toml:2:13: ", 0), 0U) << message;
}

TEST(ConfigLoader, OutOfRangeValues)
{
    EXPECT_EQ(error_of("[pipeline]\nduplicate_window_seconds = -1\n"),
              "file.toml:2:28: 'pipeline.duplicate_window_seconds' must be from 0 to 31622400 (found -1)");
    EXPECT_EQ(
        error_of("[pipeline]\nscale_clock_tolerance_seconds = 0\n"),
        "file.toml:2:33: 'pipeline.scale_clock_tolerance_seconds' must be from 1 to 31622400 (found 0)");
    EXPECT_NE(error_of("[pipeline]\nscale_clock = \"host\"\n")
                  .find("file.toml:2:15: 'pipeline.scale_clock' must be one of"),
              std::string::npos);
    EXPECT_NE(error_of("[general]\nlog_level = \"verbose\"\n").find("file.toml:2:13:"), std::string::npos);
    EXPECT_NE(error_of("[general]\nstate_directory = \"\"\n")
                  .find("file.toml:2:19: 'general.state_directory' must not be empty"),
              std::string::npos);
}

TEST(ConfigLoader, BackupsMustBeTwoFiles)
{
    EXPECT_NE(
        error_of("[storage]\nmiscale_csv = \"a.csv\"\nomron_csv = \"./a.csv\"\n").find("file.toml:3:13:"),
        std::string::npos);
}

TEST(ConfigLoader, TimeZoneIsCheckedWithoutChangingTheProcessZone)
{
    const char* before = std::getenv("TZ");
    const std::string saved = before != nullptr ? before : "";
    const std::string message = error_of("[general]\ntimezone = \"Mars/Olympus_Mons\"\n");
    EXPECT_NE(
        message.find("file.toml:2:12: 'general.timezone' is invalid: unknown time zone 'Mars/Olympus_Mons'"),
        std::string::npos)
        << message;
    EXPECT_NE(error_of("[general]\ntimezone = \"../../etc/passwd\"\n").find("file.toml:2:12:"),
              std::string::npos);
    EXPECT_NE(error_of("[general]\ntimezone = \"/etc/passwd\"\n").find("file.toml:2:12:"), std::string::npos);

    // A zone that exists, in a private database so the test needs no tzdata package.
    const ble2garmin::testing_support::TempDir temp;
    const auto database = temp.path() / "zoneinfo";
    std::filesystem::create_directories(database / "Test");
    std::ofstream(database / "Test" / "Zone") << "TZif";
    const char* old_tzdir = std::getenv("TZDIR");
    const std::string saved_tzdir = old_tzdir != nullptr ? old_tzdir : "";
    ::setenv("TZDIR", database.c_str(), 1);
    const Config config = load("[general]\ntimezone = \"Test/Zone\"\n");
    if (old_tzdir != nullptr) {
        ::setenv("TZDIR", saved_tzdir.c_str(), 1);
    } else {
        ::unsetenv("TZDIR");
    }
    EXPECT_EQ(config.general.timezone, "Test/Zone");
    const char* after = std::getenv("TZ");
    EXPECT_EQ(after != nullptr ? std::string(after) : std::string(), saved);
    EXPECT_EQ(after != nullptr, before != nullptr);
}

TEST(ConfigLoader, MinWeightAboveMaxWeight)
{
    const std::string text =
        "[[users]]\n"                // 1
        "name = \"a\"\n"             // 2
        "sex = \"male\"\n"           // 3
        "height_cm = 180\n"          // 4
        "birth_date = 1980-01-01\n"  // 5
        "min_weight_kg = 90\n"       // 6: value in column 17
        "max_weight_kg = 70\n";      // 7
    EXPECT_EQ(
        error_of(text),
        "file.toml:6:17: 'users.min_weight_kg' (90) must not be greater than 'users.max_weight_kg' (70)");
}

TEST(ConfigLoader, UserFieldChecks)
{
    const std::string base(k_valid_user);
    auto with = [&](std::string_view key, std::string_view value) {
        std::string text = base;
        const std::size_t start = text.find(std::string(key) + " = ");
        const std::size_t end = text.find('\n', start);
        return text.replace(start, end - start, std::string(key) + " = " + std::string(value));
    };
    EXPECT_EQ(error_of(with("height_cm", "0")),
              "file.toml:4:13: 'users.height_cm' must be at least 50 cm (found 0)");
    EXPECT_NE(
        error_of(with("height_cm", "221")).find("file.toml:4:13: 'users.height_cm' must be at most 220 cm"),
        std::string::npos);
    EXPECT_EQ(error_of(with("height_cm", "\"168\"")),
              "file.toml:4:13: 'users.height_cm' must be a number (found a string)");
    EXPECT_EQ(error_of(with("sex", "\"other\"")),
              "file.toml:3:7: 'users.sex' must be one of \"male\", \"female\" (found \"other\")");
    EXPECT_NE(error_of(with("birth_date", "\"02-04-1984\""))
                  .find("file.toml:5:14: 'users.birth_date' must be a date"),
              std::string::npos);
    EXPECT_NE(error_of(with("birth_date", "2999-01-01"))
                  .find("file.toml:5:14: 'users.birth_date' must not be in the future"),
              std::string::npos);
    EXPECT_NE(error_of(with("birth_date", "1984-04-02T10:00:00")).find("(found a date-time)"),
              std::string::npos);
    EXPECT_EQ(error_of(with("min_weight_kg", "0")),
              "file.toml:6:17: 'users.min_weight_kg' must be greater than 0 kg (found 0)");
    EXPECT_NE(error_of(with("max_weight_kg", "nan"))
                  .find("file.toml:7:17: 'users.max_weight_kg' must be a finite number"),
              std::string::npos);
    EXPECT_NE(error_of(base + "garmin_email = \"anna\"\n")
                  .find("file.toml:8:16: 'users.garmin_email' must be an e-mail"),
              std::string::npos);
    EXPECT_NE(error_of(base + "garmin_email = \"email@email.com\"\n").find("placeholder"), std::string::npos);
    EXPECT_NE(error_of(base + "weight = 3\n").find("file.toml:8:1: unknown key 'weight' in [users]"),
              std::string::npos);

    const Config config = load(with("birth_date", "\"1984-04-02\""));
    EXPECT_EQ(config.users.at(0).birth_date, std::chrono::year{1984} / 4 / 2);
}

TEST(ConfigLoader, UserRequiredFieldsAndUniqueNames)
{
    EXPECT_EQ(error_of("\n[[users]]\nname = \"a\"\n"),
              "file.toml:2:1: missing required keys in [users]: sex, height_cm, birth_date, min_weight_kg, "
              "max_weight_kg");
    const std::string twice = std::string(k_valid_user) + std::string(k_valid_user);
    EXPECT_EQ(error_of(twice),
              "file.toml:9:8: 'users.name' \"anna\" is already used by the user at file.toml:2:8");
    EXPECT_EQ(error_of("[users]\nname = \"a\"\n"),
              "file.toml:1:1: 'users' must be an array of tables, one [[users]] per person (found a table)");
}

TEST(ConfigLoader, S400ProfileIds)
{
    const Config config = load(std::string(k_valid_user) + "s400_profile_id = 3\n");
    EXPECT_EQ(config.users.at(0).device_user_id("s400_profile_id"), 3);
    EXPECT_FALSE(load(k_valid_user).users.at(0).device_user_id("s400_profile_id"));
    // "s400_profile_id = " is 18 characters: the value is in column 19.
    EXPECT_EQ(error_of(std::string(k_valid_user) + "s400_profile_id = 256\n"),
              "file.toml:8:19: 'users.s400_profile_id' must be from 0 to 255 (found 256)");
    EXPECT_EQ(error_of(std::string(k_valid_user) + "s400_profile_id = -1\n"),
              "file.toml:8:19: 'users.s400_profile_id' must be from 0 to 255 (found -1)");
    EXPECT_EQ(error_of(std::string(k_valid_user) + "s400_profile_id = \"1\"\n"),
              "file.toml:8:19: 'users.s400_profile_id' must be an integer (found a string)");
    // Two users with one profile id could not be told apart.
    std::string second(k_valid_user);
    second.replace(second.find("\"anna\""), 6, "\"ben\"");
    EXPECT_EQ(
        error_of(std::string(k_valid_user) + "s400_profile_id = 1\n" + second + "s400_profile_id = 1\n"),
        "file.toml:16:19: 'users.s400_profile_id' 1 is already used by the user at file.toml:8:19");
    const Config two =
        load(std::string(k_valid_user) + "s400_profile_id = 1\n" + second + "s400_profile_id = 2\n");
    EXPECT_EQ(two.users.at(1).device_user_id("s400_profile_id"), 2);
}

TEST(ConfigLoader, DeviceUserIdsPerDevice)
{
    // Two devices of one module, each with its own users: the id per device address (any spelling).
    std::string second(k_valid_user);
    second.replace(second.find("\"anna\""), 6, "\"ben\"");
    const Config config =
        load(std::string(k_valid_user) +
             "s400_profile_id = { \"aa:bb:cc:dd:ee:01\" = 1, \"AA:BB:CC:DD:EE:02\" = 2 }\n" + second +
             "s400_profile_id = { \"AA:BB:CC:DD:EE:02\" = 1 }\n");
    const auto& anna = config.users.at(0);
    EXPECT_EQ(anna.device_user_id("s400_profile_id", "AA:BB:CC:DD:EE:01"), 1);
    EXPECT_EQ(anna.device_user_id("s400_profile_id", "AA:BB:CC:DD:EE:02"), 2);
    EXPECT_FALSE(anna.device_user_id("s400_profile_id", "AA:BB:CC:DD:EE:03"));
    EXPECT_FALSE(anna.device_user_id("s400_profile_id"));  // no particular device
    EXPECT_EQ(config.users.at(1).device_user_id("s400_profile_id", "AA:BB:CC:DD:EE:02"), 1);

    // One id on one device twice; an id on every device against the same id on one of them.
    EXPECT_EQ(error_of(std::string(k_valid_user) + "s400_profile_id = { \"AA:BB:CC:DD:EE:01\" = 1 }\n" +
                       second + "s400_profile_id = { \"aa-bb-cc-dd-ee-01\" = 1 }\n"),
              "file.toml:16:43: 'users.s400_profile_id.aa-bb-cc-dd-ee-01' 1 is already used by the user at "
              "file.toml:8:43 (on AA:BB:CC:DD:EE:01)");
    EXPECT_EQ(error_of(std::string(k_valid_user) + "s400_profile_id = 1\n" + second +
                       "s400_profile_id = { \"AA:BB:CC:DD:EE:01\" = 1 }\n"),
              "file.toml:16:43: 'users.s400_profile_id.AA:BB:CC:DD:EE:01' 1 is already used by the user at "
              "file.toml:8:19 (on AA:BB:CC:DD:EE:01)");
    // Keys that are no address, ids out of range, an empty table.
    EXPECT_EQ(error_of(std::string(k_valid_user) + "s400_profile_id = { kitchen = 1 }\n"),
              "file.toml:8:31: 'users.s400_profile_id.kitchen' names no Bluetooth address: the keys of "
              "'users.s400_profile_id' are device addresses such as \"AA:BB:CC:DD:EE:FF\"");
    EXPECT_EQ(error_of(std::string(k_valid_user) + "s400_profile_id = { \"AA:BB:CC:DD:EE:01\" = 256 }\n"),
              "file.toml:8:43: 'users.s400_profile_id.AA:BB:CC:DD:EE:01' must be from 0 to 255 (found 256)");
    EXPECT_EQ(error_of(std::string(k_valid_user) + "s400_profile_id = {}\n"),
              "file.toml:8:19: 'users.s400_profile_id' names no device: write an id (0 – 255) or "
              "{ \"<device address>\" = <id> }");
}

TEST(ConfigLoader, DuplicateMacAcrossSpellings)
{
    const std::string message = error_of(
        "[[devices.mi_scale]]\n"
        "mac = \"AA:BB:CC:DD:EE:01\"\n"
        "[[devices.mi_scale]]\n"
        "mac = \"aa-bb-cc-dd-ee-01\"\n");
    EXPECT_EQ(message,
              "file.toml:4:7: 'devices.mi_scale.mac' \"AA:BB:CC:DD:EE:01\" is already used by the device at "
              "file.toml:2:7");
}

TEST(ConfigLoader, BadMac)
{
    EXPECT_EQ(
        error_of("[devices.mi_scale]\nmac = \"AA:BB:CC\"\n"),
        "file.toml:2:7: 'devices.mi_scale.mac' must be a Bluetooth address such as \"AA:BB:CC:DD:EE:FF\" "
        "(found \"AA:BB:CC\")");
    EXPECT_NE(error_of("[devices.mi_scale]\nmac = \"00:00:00:00:00:00\"\n")
                  .find("file.toml:2:7: 'devices.mi_scale.mac' is a placeholder"),
              std::string::npos);
    EXPECT_EQ(error_of("[devices.mi_scale]\nmac = 12\n"),
              "file.toml:2:7: 'devices.mi_scale.mac' must be a string (found an integer)");
    EXPECT_EQ(error_of("[devices.mi_scale]\nname = \"bathroom\"\n"),
              "file.toml:1:1: missing required key in [devices.mi_scale]: mac");
}

TEST(ConfigLoader, UnknownModuleListsTheKnownOnes)
{
    // "[devices." is 9 characters: the module name starts in column 10.
    EXPECT_EQ(
        error_of("[devices.blender]\nmac = \"AA:BB:CC:DD:EE:01\"\n"),
        "file.toml:1:10: unknown device module 'blender' in [devices] (known modules: mi_scale, omron)");
    EXPECT_EQ(error_of("[devices]\nmi_scale = \"AA:BB:CC:DD:EE:01\"\n"),
              "file.toml:2:12: 'devices.mi_scale' must be a table or an array of tables (found a string)");
}

TEST(ConfigLoader, DevicesKeepModuleKeysAndTheirPositions)
{
    const Config config = load(
        "[devices.omron]\n"
        "mac = \"aa:bb:cc:dd:ee:02\"\n"
        "[[devices.mi_scale]]\n"
        "mac = \"AA:BB:CC:DD:EE:01\"\n"
        "weight_only_after_seconds = 5\n"
        "nested.value = \"x\"\n");
    ASSERT_EQ(config.devices.size(), 2U);
    // Tables in name order: mi_scale, omron.
    const DeviceConfig& scale = config.devices[0];
    EXPECT_EQ(scale.module, "mi_scale");
    EXPECT_EQ(scale.mac, "AA:BB:CC:DD:EE:01");
    const auto* seconds = scale.options.get("weight_only_after_seconds");
    ASSERT_NE(seconds, nullptr);
    EXPECT_EQ(seconds->value<int>(), 5);
    EXPECT_EQ(seconds->source().begin.line, 5U);
    EXPECT_EQ(seconds->source().begin.column, 29U);
    ASSERT_NE(seconds->source().path, nullptr);
    EXPECT_EQ(*seconds->source().path, "file.toml");
    EXPECT_EQ(scale.options["nested"]["value"].value<std::string>(), "x");
    const DeviceConfig& cuff = config.devices[1];
    EXPECT_EQ(cuff.module, "omron");
    // The module gets the normalised address, still at its place in the file.
    EXPECT_EQ(cuff.mac, "AA:BB:CC:DD:EE:02");
    EXPECT_EQ(cuff.options["mac"].value<std::string>(), "AA:BB:CC:DD:EE:02");
    EXPECT_EQ(cuff.options["mac"].node()->source().begin.line, 2U);
}

TEST(ConfigLoader, CollectsEveryProblemInFileOrder)
{
    std::vector<std::string> problems;
    std::string what;
    try {
        (void)load(
            "[pipeline]\n"
            "scale_clock_offset_seconds = 1.5\n"  // 2:30
            "[general]\n"
            "log_level = 3\n"       // 4:13
            "extra = 1\n"           // 5:1
            "[devices.fridge]\n");  // 6:10
        FAIL() << "no error";
    } catch (const ConfigError& error) {
        problems = error.problems();
        what = error.what();
    }
    const std::vector<std::string> expected = {
        "file.toml:2:30: 'pipeline.scale_clock_offset_seconds' must be an integer (found a floating-point "
        "number)",
        "file.toml:4:13: 'general.log_level' must be a string (found an integer)",
        "file.toml:5:1: unknown key 'extra' in [general] (known keys: state_directory, timezone, log_level)",
        "file.toml:6:10: unknown device module 'fridge' in [devices] (known modules: mi_scale, omron)",
    };
    EXPECT_EQ(problems, expected);
    EXPECT_EQ(what, expected[0] + "\n" + expected[1] + "\n" + expected[2] + "\n" + expected[3]);
}

TEST(ConfigLoader, LoadFileNamesTheFileInMessages)
{
    const ble2garmin::testing_support::TempDir temp;
    const auto path = temp.path() / "ble2garmin.toml";
    std::ofstream(path) << "[general]\nlog_level = \"info\"\nfoo = 1\n";
    try {
        (void)load_file(path, k_modules);
        ADD_FAILURE() << "no error";
    } catch (const ConfigError& error) {
        EXPECT_EQ(std::string(error.what()).rfind(path.string() + ":3:1: unknown key 'foo'", 0), 0U)
            << error.what();
    }
    std::ofstream(path) << "[general]\nlog_level = \"warn\"\n";
    const Config config = load_file(path, k_modules);
    EXPECT_EQ(config.source, path);
    EXPECT_EQ(config.general.log_level, "warn");
    std::filesystem::remove(path);
    try {
        (void)load_file(path, k_modules);
        ADD_FAILURE() << "no error";
    } catch (const ConfigError& error) {
        EXPECT_NE(std::string(error.what()).find(path.string() + ": cannot read the configuration"),
                  std::string::npos);
    }
}

}  // namespace
}  // namespace ble2garmin::config
