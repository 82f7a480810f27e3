// migrate-config: export2garmin.cfg → ble2garmin TOML that the loader accepts.

#include "config/migrate/migrate_export2garmin.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "config/migrate/shell_cfg.hpp"

namespace ble2garmin::config {
namespace {

constexpr std::string_view k_modules[] = {"mi_scale", "s400", "omron"};
// As the modules declare them.
constexpr DeviceUserKey k_user_keys[] = {{"s400_profile_id", 255}, {"omron_slot", 2, 1}};
constexpr std::string_view k_bindkey = "0123456789abcdef0123456789abcdef";

std::string fixture()
{
    std::ifstream file(BLE2GARMIN_TEST_DATA_DIR "/export2garmin/export2garmin.cfg");
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

bool any_note_contains(const MigrationResult& result, std::string_view text)
{
    for (const auto& note : result.notes) {
        if (note.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string all_notes(const MigrationResult& result)
{
    std::string out;
    for (const auto& note : result.notes) {
        out += note + "\n";
    }
    return out;
}

MigrationResult migrate(std::string_view text)
{
    auto result = migrate_export2garmin(text, "/home/pi/export2garmin/user/export2garmin.cfg");
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    return result.ok() ? *result : MigrationResult{};
}

Config load(const MigrationResult& result)
{
    try {
        return parse(result.toml, "migrated.toml", k_modules, k_user_keys);
    } catch (const ConfigError& error) {
        ADD_FAILURE() << error.what() << "\n" << result.toml;
        return {};
    }
}

TEST(MigrateExport2garmin, RealisticCfgLoadsWithUsersScaleAndClock)
{
    const MigrationResult result = migrate(fixture());
    const Config config = load(result);

    ASSERT_EQ(config.users.size(), 3U) << result.toml;
    const User& first = config.users[0];
    EXPECT_EQ(first.name, "user1");
    EXPECT_EQ(first.sex, Sex::male);
    EXPECT_EQ(first.height_cm, 172);
    EXPECT_EQ(first.birth_date, std::chrono::year{1984} / 4 / 2);
    EXPECT_EQ(first.garmin_email, "");   // email@email.com: no Garmin account
    EXPECT_EQ(first.min_weight_kg, 53);  // the tuple has max before min
    EXPECT_EQ(first.max_weight_kg, 65);
    EXPECT_EQ(config.users[1].name, "user2");
    EXPECT_EQ(config.users[1].garmin_email, "jan.kowalski@example.com");
    EXPECT_EQ(config.users[1].min_weight_kg, 85);
    EXPECT_EQ(config.users[1].max_weight_kg, 92);
    const User& anna = config.users[2];
    EXPECT_EQ(anna.name, "anna");
    EXPECT_EQ(anna.sex, Sex::female);
    EXPECT_EQ(anna.height_cm, 165.5);
    EXPECT_EQ(anna.birth_date, std::chrono::year{1990} / 11 / 17);
    EXPECT_EQ(anna.min_weight_kg, 48);
    EXPECT_EQ(anna.max_weight_kg, 64.5);

    // switch_s400=on: export2garmin reads ble_miscale_mac as the S400 (the Mi scale table waits as a
    // comment).
    ASSERT_EQ(config.devices.size(), 1U);
    EXPECT_EQ(config.devices[0].module, "s400");
    EXPECT_EQ(config.devices[0].mac, "C8:47:8C:9A:12:34");

    EXPECT_EQ(config.pipeline.scale_clock_offset_seconds, -3600);
    EXPECT_EQ(config.pipeline.scale_clock_tolerance_seconds, 900);
    EXPECT_EQ(config.pipeline.duplicate_window_seconds, 1800);  // miscale_time_check is not a window

    const std::string notes = all_notes(result);
    EXPECT_TRUE(any_note_contains(result, "user1")) << notes;
    EXPECT_TRUE(any_note_contains(result, "email@email.com")) << notes;
    EXPECT_TRUE(any_note_contains(result, "miscale_time_check")) << notes;
    // Carried over: the adapter (ble_arg_hci=0), uploads for the user with an account, the category.
    EXPECT_EQ(config.bluetooth.adapter, "hci0");
    EXPECT_TRUE(config.garmin.enabled);
    EXPECT_EQ(config.garmin.domain, "garmin.com");  // tokens_is_cn=False
    EXPECT_EQ(config.storage.blood_pressure_category, "eu");
    EXPECT_TRUE(any_note_contains(result, "uploads are on")) << notes;
    EXPECT_FALSE(any_note_contains(result, "ble_arg_hci")) << notes;
    EXPECT_TRUE(any_note_contains(result, "ble_adapter_time")) << notes;  // scan windows: not needed
    EXPECT_TRUE(any_note_contains(result, "switch_s400")) << notes;
    EXPECT_TRUE(any_note_contains(result, "switch_wifi_watchdog")) << notes;
    EXPECT_TRUE(any_note_contains(result, "omron_omblepy_model")) << notes;  // switched off

    // Without an output file the bindkey is in the TOML, never in a note; the MQTT password nowhere.
    EXPECT_NE(result.toml.find("\nbindkey = \"" + std::string(k_bindkey) + "\""), std::string::npos)
        << result.toml;
    EXPECT_TRUE(result.secrets.empty());
    EXPECT_EQ(notes.find(k_bindkey), std::string::npos) << notes;
    EXPECT_EQ(notes.find("password"), std::string::npos) << notes;
    EXPECT_EQ(result.toml.find("password"), std::string::npos) << result.toml;
}

TEST(MigrateExport2garmin, EveryLineThatIsNotUnderstoodGetsANote)
{
    const MigrationResult result = migrate(
        "switch_miscale=on\n"                  // 1
        "ble_miscale_mac=c8:47:8c:9a:12:34\n"  // 2
        "this line is nonsense\n"              // 3
        "miscale_colour=blue\n"                // 4
        "miscale_time_offset=soon\n"           // 5
        "switch_s400=maybe\n");                // 6
    load(result);
    const std::string notes = all_notes(result);
    EXPECT_TRUE(any_note_contains(result, "line 3: not understood")) << notes;
    EXPECT_TRUE(any_note_contains(result, "line 4: unknown key 'miscale_colour'")) << notes;
    EXPECT_TRUE(any_note_contains(result, "line 5: 'miscale_time_offset' is not a whole number")) << notes;
    EXPECT_TRUE(any_note_contains(result, "line 6: 'switch_s400' is neither on nor off")) << notes;
}

TEST(MigrateExport2garmin, UnusableUsersAreCommentedOutWithANote)
{
    const MigrationResult result = migrate(
        "miscale_export_tall=(\"male\", 240, \"02-04-1984\", \"t@example.com\", 120, 100)\n"    // 1
        "miscale_export_broken=(\"male\", 180\n"                                                // 2
        "miscale_export_swapped=(\"female\", 160, \"1-2-1970\", \"s@example.com\", 50, 60)\n"   // 3
        "miscale_export_bad_date=(\"male\", 180, \"31-02-1980\", \"b@example.com\", 90, 80)\n"  // 4
        "miscale_export_ok=(\"male\", 180, \"01-02-1980\", \"o@example.com\", 90, 80,)\n");     // 5
    const Config config = load(result);
    const std::string notes = all_notes(result);
    ASSERT_EQ(config.users.size(), 2U) << result.toml << notes;
    EXPECT_EQ(config.users[0].name, "swapped");
    EXPECT_EQ(config.users[0].min_weight_kg, 50);
    EXPECT_EQ(config.users[0].max_weight_kg, 60);
    EXPECT_EQ(config.users[0].birth_date, std::chrono::year{1970} / 2 / 1);
    EXPECT_EQ(config.users[1].name, "ok");
    EXPECT_TRUE(
        any_note_contains(result, "line 1 (miscale_export_tall): user 'tall' is written commented out"))
        << notes;
    EXPECT_TRUE(any_note_contains(result, "at most 220")) << notes;
    EXPECT_TRUE(any_note_contains(result, "line 2: not understood")) << notes;
    EXPECT_TRUE(
        any_note_contains(result, "line 3 (miscale_export_swapped): the weights were max 50 < min 60"))
        << notes;
    EXPECT_TRUE(any_note_contains(result, "line 4 (miscale_export_bad_date)")) << notes;
    EXPECT_NE(result.toml.find("# name = \"tall\""), std::string::npos) << result.toml;
}

TEST(MigrateExport2garmin, ScaleWithoutAddressIsCommentedOut)
{
    const MigrationResult result = migrate("switch_miscale=on\nble_miscale_mac=00:00:00:00:00:00\n");
    EXPECT_TRUE(load(result).devices.empty());
    EXPECT_TRUE(any_note_contains(result, "ble_miscale_mac is not a scale address")) << all_notes(result);
    EXPECT_NE(result.toml.find("# [devices.mi_scale]"), std::string::npos);
}

TEST(MigrateExport2garmin, RepeatedKeysUseTheLastValueLikeBash)
{
    const MigrationResult result = migrate("miscale_time_offset=100\nmiscale_time_offset=200\n");
    EXPECT_EQ(load(result).pipeline.scale_clock_offset_seconds, 200);
    EXPECT_TRUE(any_note_contains(result, "line 2: 'miscale_time_offset' repeats line 1"))
        << all_notes(result);
}

TEST(MigrateExport2garmin, MqttAndOmronBecomeTables)
{
    const MigrationResult result = migrate(
        "switch_mqtt=on\nmiscale_mqtt_user=scale\nmiscale_mqtt_passwd=s3cret\n"
        "switch_omron=on\nomron_omblepy_model=HEM-7361T\nomron_omblepy_mac=aa:bb:cc:dd:ee:02\n"
        "omron_export_user1=nobody@example.com\nomron_export_user2=email@email.com\n");
    const Config config = load(result);
    EXPECT_TRUE(config.mqtt.enabled);
    EXPECT_TRUE(config.mqtt.esp32);
    EXPECT_EQ(config.mqtt.username, "scale");
    ASSERT_EQ(config.devices.size(), 1U);
    EXPECT_EQ(config.devices[0].module, "omron");
    EXPECT_EQ(config.devices[0].mac, "AA:BB:CC:DD:EE:02");
    EXPECT_EQ(config.devices[0].options["model"].value_or(std::string()), "hem-7361t");
    EXPECT_EQ(result.toml.find("s3cret"), std::string::npos);
    EXPECT_EQ(all_notes(result).find("s3cret"), std::string::npos);
    EXPECT_TRUE(any_note_contains(result, "switch_mqtt=on: [mqtt] takes in the ESP32 feed"))
        << all_notes(result);
    EXPECT_TRUE(any_note_contains(result, "switch_omron=on: [devices.omron] is active")) << all_notes(result);
    // Slot 1's account has no user line: the note says what to add. Slot 2 is the placeholder.
    EXPECT_TRUE(any_note_contains(result, "omron_export_user1 is the account of no miscale_export_ user"))
        << all_notes(result);
    EXPECT_TRUE(any_note_contains(result, "omron_export_user2 is export2garmin's placeholder"))
        << all_notes(result);
}

TEST(MigrateExport2garmin, AnOmronStillAtItsPlaceholdersIsCommentedOut)
{
    const MigrationResult result =
        migrate("switch_omron=on\nomron_omblepy_model=hem-xxxxt\nomron_omblepy_mac=00:00:00:00:00:00\n");
    EXPECT_TRUE(load(result).devices.empty());
    EXPECT_NE(result.toml.find("# [devices.omron]"), std::string::npos) << result.toml;
    EXPECT_TRUE(any_note_contains(result, "ble2garmin omron pair")) << all_notes(result);
}

TEST(MigrateExport2garmin, TextWithoutSettingsIsAnError)
{
    auto result = migrate_export2garmin("# nothing here\n\n", "empty.cfg");
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find("empty.cfg: no export2garmin setting found"), std::string::npos);
}

TEST(MigrateShellCfg, QuotesCommentsAndTuples)
{
    const ShellCfg cfg = parse_shell_cfg(
        "  # comment\n"
        "a=on # trailing comment\n"
        "b=\"two words # not a comment\"\n"
        "c='single'\r\n"
        "d = spaced\n"
        "e=(\"x, y\", 1.5, 'z')  # tuple\n"
        "f=\n"
        "g=\"open\n"
        "h=a b\n"
        "1x=3\n");
    ASSERT_EQ(cfg.assignments.size(), 6U);
    EXPECT_EQ(cfg.assignments[0].key, "a");
    EXPECT_EQ(cfg.assignments[0].value, "on");
    EXPECT_EQ(cfg.assignments[0].line, 2);
    EXPECT_EQ(cfg.assignments[1].value, "two words # not a comment");
    EXPECT_EQ(cfg.assignments[2].value, "single");
    EXPECT_EQ(cfg.assignments[3].key, "d");
    EXPECT_EQ(cfg.assignments[3].value, "spaced");
    EXPECT_EQ(cfg.assignments[4].value, "(\"x, y\", 1.5, 'z')");
    EXPECT_EQ(cfg.assignments[5].value, "");
    ASSERT_EQ(cfg.problems.size(), 3U);
    EXPECT_EQ(cfg.problems[0].line, 8);
    EXPECT_EQ(cfg.problems[0].key, "g");
    EXPECT_EQ(cfg.problems[1].line, 9);
    EXPECT_EQ(cfg.problems[2].line, 10);

    auto items = parse_tuple("(\"x, y\", 1.5, 'z')");
    ASSERT_TRUE(items.ok());
    ASSERT_EQ(items->size(), 3U);
    EXPECT_EQ((*items)[0].text, "x, y");
    EXPECT_TRUE((*items)[0].quoted);
    EXPECT_EQ((*items)[1].text, "1.5");
    EXPECT_FALSE((*items)[1].quoted);
    EXPECT_FALSE(parse_tuple("(__import__('os'))").ok());  // never evaluated: not a tuple item
    EXPECT_FALSE(parse_tuple("(1 2)").ok());
    EXPECT_FALSE(parse_tuple("1, 2").ok());
}

TEST(MigrateExport2garmin, AdapterDomainCategoryAndUploadsAreCarriedOver)
{
    const MigrationResult by_mac = migrate(
        "switch_miscale=on\n"
        "ble_miscale_mac=C8:47:8C:9A:12:34\n"
        "ble_arg_hci=1\n"
        "ble_arg_hci2mac=on\n"
        "ble_arg_mac=00:1a:7d:da:71:13\n"
        "tokens_is_cn=True\n"
        "omron_export_category=us\n"
        "miscale_export_user1=(\"female\", 160, \"01-02-1990\", \"li@example.cn\", 70, 50)\n");
    const Config config = load(by_mac);
    EXPECT_EQ(config.bluetooth.adapter, "00:1A:7D:DA:71:13");  // hci2mac=on: the address decides
    EXPECT_TRUE(config.garmin.enabled);
    EXPECT_EQ(config.garmin.domain, "garmin.cn");
    EXPECT_EQ(config.storage.blood_pressure_category, "us");
    EXPECT_FALSE(any_note_contains(by_mac, "tokens_is_cn")) << all_notes(by_mac);

    // Only the index, no account, no category: hci1, uploads stay off, the default category.
    const Config by_index =
        load(migrate("switch_miscale=on\nble_miscale_mac=C8:47:8C:9A:12:34\nble_arg_hci=1\n"
                     "omron_export_category=xx\n"
                     "miscale_export_user1=(\"male\", 180, \"01-02-1990\", "
                     "\"email@email.com\", 90, 70)\n"));
    EXPECT_EQ(by_index.bluetooth.adapter, "hci1");
    EXPECT_FALSE(by_index.garmin.enabled);
    EXPECT_EQ(by_index.storage.blood_pressure_category, "eu");
}

TEST(MigrateExport2garmin, WithAnOutputFileTheBindkeyGoesToAFileOfItsOwn)
{
    auto result = migrate_export2garmin(fixture(), "export2garmin.cfg", MigrationOptions{true});
    ASSERT_TRUE(result.ok()) << result.error().message;
    ASSERT_EQ(result->secrets.size(), 1U);
    EXPECT_EQ(result->secrets[0].name, "s400_bindkey");
    EXPECT_EQ(result->secrets[0].content, std::string(k_bindkey) + "\n");
    EXPECT_NE(result->toml.find("bindkey_file = \"s400_bindkey\""), std::string::npos) << result->toml;
    EXPECT_EQ(result->toml.find(k_bindkey), std::string::npos) << result->toml;
}

TEST(MigrateExport2garmin, AnS400WithoutABindkeyLeavesTheMiScaleActive)
{
    const MigrationResult result = migrate(
        "switch_miscale=on\nswitch_s400=on\nble_miscale_mac=C8:47:8C:9A:12:34\n"
        "ble_miscale_key=00000000000000000000000000000000x\n");
    const Config config = load(result);
    ASSERT_EQ(config.devices.size(), 1U);
    EXPECT_EQ(config.devices[0].module, "mi_scale");
    EXPECT_NE(result.toml.find("# [devices.s400]"), std::string::npos) << result.toml;
    EXPECT_TRUE(any_note_contains(result, "ble_miscale_key is not a bindkey")) << all_notes(result);
}

}  // namespace
}  // namespace ble2garmin::config
