#include "store/miscale/miscale_row.hpp"

#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace ble2garmin::store {
namespace {

// export2garmin-compat.md §7 samples.
constexpr const char* k_uploaded =
    "uploaded;1721076654;15.07.2024;22:50;55.2;0.0;18.7;10.8;46.7;2.6;61.2;7;4;19;1217;51.1;64.4;"
    "to_gain:6.8;23.4;508;email@email.com;15.07.2024;23:00;546";
constexpr const char* k_legacy =
    "uploaded;1674744927;26.01.2023;11:55;83.2;0.0;26.9;26.6;57.9;3.1;50.3;2;17;38;432;"
    "jan@example.com;26.01.2023;11:59;220";

TEST(MiscaleRow, ParsesPendingRowsOfEverySource)
{
    auto ble = MiscaleRow::parse("to_import;1721076654;55.2;508");
    ASSERT_TRUE(ble.ok()) << ble.error().message;
    EXPECT_EQ(ble->status(), RowStatus::to_import);
    EXPECT_EQ(ble->layout(), RowLayout::pending);
    EXPECT_EQ(ble->unix_time(), 1721076654);
    EXPECT_DOUBLE_EQ(ble->weight_kg(), 55.2);
    EXPECT_EQ(ble->weight_text(), "55.2");
    EXPECT_EQ(ble->impedance_ohm(), 508);
    EXPECT_FALSE(ble->email().has_value());
    EXPECT_TRUE(ble->extras().empty());

    auto mqtt = MiscaleRow::parse("failed;1672412076;58.4;521;3.5;5");
    ASSERT_TRUE(mqtt.ok());
    EXPECT_EQ(mqtt->status(), RowStatus::failed);
    ASSERT_EQ(mqtt->extras().size(), 2U);
    EXPECT_EQ(mqtt->extras()[0], "3.5");
    EXPECT_EQ(mqtt->extras()[1], "5");

    auto s400 = MiscaleRow::parse("to_import;1721076654;58.1;509;421;72");
    ASSERT_TRUE(s400.ok());
    EXPECT_EQ(s400->extras()[1], "72");

    auto both = MiscaleRow::parse("unassigned;1721076654;58.1;;;;421;72");
    ASSERT_TRUE(both.ok());
    EXPECT_EQ(both->status(), RowStatus::unassigned);
    EXPECT_FALSE(both->impedance_ohm().has_value());
    EXPECT_EQ(both->extras().size(), 4U);
}

TEST(MiscaleRow, ParsesCurrentAndOlderUploadedRows)
{
    auto current = MiscaleRow::parse(k_uploaded);
    ASSERT_TRUE(current.ok()) << current.error().message;
    EXPECT_EQ(current->layout(), RowLayout::uploaded);
    EXPECT_EQ(current->status(), RowStatus::uploaded);
    EXPECT_EQ(current->unix_time(), 1721076654);
    EXPECT_DOUBLE_EQ(current->weight_kg(), 55.2);
    EXPECT_EQ(current->impedance_ohm(), 508);
    EXPECT_EQ(current->email(), "email@email.com");
    EXPECT_TRUE(current->extras().empty());

    auto with_battery = MiscaleRow::parse(std::string(k_uploaded) + ";3.5;5");
    ASSERT_TRUE(with_battery.ok());
    EXPECT_EQ(with_battery->extras().size(), 2U);

    auto legacy = MiscaleRow::parse(k_legacy);
    ASSERT_TRUE(legacy.ok()) << legacy.error().message;
    EXPECT_EQ(legacy->layout(), RowLayout::uploaded_legacy);
    EXPECT_DOUBLE_EQ(legacy->weight_kg(), 83.2);
    EXPECT_EQ(legacy->impedance_ohm(), 432);
    EXPECT_EQ(legacy->email(), "jan@example.com");
    EXPECT_EQ(legacy->text(), k_legacy);
}

TEST(MiscaleRow, KeepsEveryByteOfTheLine)
{
    for (const std::string& line :
         {std::string(k_uploaded), std::string(k_legacy), std::string("to_import;1721076654;55.20;0508"),
          std::string("failed;1721076654;55.2;;x y;\t"), std::string(k_uploaded) + ";;"}) {
        auto row = MiscaleRow::parse(line);
        ASSERT_TRUE(row.ok()) << line;
        EXPECT_EQ(row->text(), line);
        EXPECT_EQ(format_miscale_row(*row), line);
    }
}

TEST(MiscaleRow, RejectsLinesThatAreNotRows)
{
    const struct {
        const char* line;
        const char* reason;
    } cases[] = {
        {"Uploaded;1721076654;55.2;508", "unknown status"},
        {"to_import ;1721076654;55.2;508", "unknown status"},
        {"", "unknown status"},
        {"=====", "unknown status"},
        {"to_import;1721076654;55.2", "wrong field count 3"},
        {"to_import;1721076654;55.2;508;3.5", "wrong field count 5"},
        {"to_import;1721076654;55.2;508;1;2;3;4;5", "wrong field count 9"},
        {"uploaded;1721395", "wrong field count 2"},
        {"uploaded;1721076654;15.07.2024;22:50;55.2", "wrong field count 5"},
        {"to_import;17210766x4;55.2;508", "Unix Time"},
        {"to_import;;55.2;508", "Unix Time"},
        // Beyond 2200 (or before 1970) no clock conversion holds the time.
        {"to_import;10721076654;55.2;508", "Unix Time"},
        {"to_import;-1;55.2;508", "Unix Time"},
        {"to_import;1721076654;heavy;508", "weight"},
    };
    for (const auto& c : cases) {
        auto row = MiscaleRow::parse(c.line);
        ASSERT_FALSE(row.ok()) << c.line;
        EXPECT_NE(row.error().message.find(c.reason), std::string::npos)
            << c.line << ": " << row.error().message;
    }
}

TEST(MiscaleRow, ChangesOnlyTheStatusWordOfAPendingRow)
{
    auto row = MiscaleRow::parse("to_import;1672412076;58.4;521;3.5;5");
    ASSERT_TRUE(row.ok());
    auto failed = row->with_status(RowStatus::failed);
    ASSERT_TRUE(failed.ok());
    EXPECT_EQ(failed->text(), "failed;1672412076;58.4;521;3.5;5");
    EXPECT_EQ(failed->status(), RowStatus::failed);
    EXPECT_FALSE(row->with_status(RowStatus::uploaded).ok());

    auto uploaded = MiscaleRow::parse(k_uploaded);
    ASSERT_TRUE(uploaded.ok());
    EXPECT_FALSE(uploaded->with_status(RowStatus::failed).ok());
}

TEST(MiscaleRow, FormatsPendingRowsForTheFileColumns)
{
    PendingScaleRow row;
    row.unix_time = 1721076654;
    row.weight_kg = 55.15;  // 55.149999… in binary
    row.impedance_ohm = 508;
    row.battery_volts = 3.45;
    row.battery_percent = 5;
    row.impedance_high_ohm = 421;
    row.heart_rate_bpm = 72;

    EXPECT_EQ(format_pending_row(row, {}).value(), "to_import;1721076654;55.1;508");
    EXPECT_EQ(format_pending_row(row, {.battery = true, .s400 = false}).value(),
              "to_import;1721076654;55.1;508;3.5;5");
    EXPECT_EQ(format_pending_row(row, {.battery = false, .s400 = true}).value(),
              "to_import;1721076654;55.1;508;421;72");
    EXPECT_EQ(format_pending_row(row, {.battery = true, .s400 = true}).value(),
              "to_import;1721076654;55.1;508;3.5;5;421;72");

    PendingScaleRow weight_only;
    weight_only.status = RowStatus::unassigned;
    weight_only.unix_time = 1721076654;
    weight_only.weight_kg = 70;
    EXPECT_EQ(format_pending_row(weight_only, {}).value(), "unassigned;1721076654;70.0;");
    EXPECT_EQ(format_pending_row(weight_only, {.battery = true, .s400 = true}).value(),
              "unassigned;1721076654;70.0;;;;;");

    weight_only.status = RowStatus::uploaded;
    EXPECT_FALSE(format_pending_row(weight_only, {}).ok());
    weight_only.status = RowStatus::to_import;
    weight_only.weight_kg = std::numeric_limits<double>::quiet_NaN();
    EXPECT_FALSE(format_pending_row(weight_only, {}).ok());
}

TEST(MiscaleRow, StatusWordsRoundTrip)
{
    for (const RowStatus status :
         {RowStatus::to_import, RowStatus::failed, RowStatus::uploaded, RowStatus::unassigned}) {
        EXPECT_EQ(parse_status(status_word(status)), status);
    }
    EXPECT_EQ(status_word(RowStatus::to_import), "to_import");
    EXPECT_FALSE(parse_status("deleted").has_value());
    EXPECT_TRUE(is_pending(RowStatus::failed));
    EXPECT_FALSE(is_pending(RowStatus::unassigned));
}

}  // namespace
}  // namespace ble2garmin::store
