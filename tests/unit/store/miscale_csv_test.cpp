#include "store/miscale_csv.hpp"

#include <string>

#include <gtest/gtest.h>

#include "store/csv_text.hpp"

namespace ble2garmin::store {
namespace {

const std::string k_header = make_miscale_header({});

TEST(CsvText, SplitsLinesWithAnyEnding)
{
    EXPECT_EQ(split_lines("a\nb\n"), (std::vector<std::string_view>{"a", "b"}));
    EXPECT_EQ(split_lines("a\r\nb"), (std::vector<std::string_view>{"a", "b"}));
    EXPECT_EQ(split_lines("a\n\nb\n"), (std::vector<std::string_view>{"a", "", "b"}));
    EXPECT_EQ(split_lines("a\r\r\n"), (std::vector<std::string_view>{"a"}));
    EXPECT_EQ(split_lines("a\rb\n"), (std::vector<std::string_view>{"a\rb"}));
    EXPECT_TRUE(split_lines("").empty());
    EXPECT_EQ(split_fields("a;;b;"), (std::vector<std::string_view>{"a", "", "b", ""}));
    EXPECT_EQ(split_fields(""), (std::vector<std::string_view>{""}));
    EXPECT_EQ(join_fields({"a", "", "b", ""}), "a;;b;");
}

TEST(MiscaleHeader, DetectsTheOptionalColumns)
{
    EXPECT_EQ(k_header.substr(0, 22), "Data Status;Unix Time;");
    EXPECT_NE(k_header.find("Ideal Wieght [kg]"), std::string::npos);
    EXPECT_EQ(detect_suffixes(k_header), (HeaderSuffixes{}));
    for (const HeaderSuffixes suffixes :
         {HeaderSuffixes{true, false}, HeaderSuffixes{false, true}, HeaderSuffixes{true, true}}) {
        EXPECT_EQ(detect_suffixes(make_miscale_header(suffixes)), suffixes);
    }
    EXPECT_EQ(make_miscale_header({true, true}),
              k_header + ";Battery [V];Battery [%];Impedance Low;Heart Rate [bpm]");
    EXPECT_TRUE(is_miscale_header("\xEF\xBB\xBF" + k_header));
    EXPECT_FALSE(is_miscale_header("to_import;1721076654;55.2;508"));
}

TEST(MiscaleCsv, ReadsHeaderRowsAndUnreadableLinesInOrder)
{
    const std::string text = k_header +
                             ";Battery [V];Battery [%]\n"
                             "to_import;1672412076;58.4;521;3.5;5\n"
                             "garbage that is no row\n"
                             "failed;1672412500;58.3;520\n"
                             "\n"
                             "to_import;16724x;58.3;520\n"
                             "to_import;1672413000;58.1;522;3.4;4";
    const MiscaleCsv csv = parse_miscale_csv(text);
    ASSERT_TRUE(csv.header.has_value());
    EXPECT_TRUE(csv.suffixes.battery);
    EXPECT_FALSE(csv.suffixes.s400);
    ASSERT_EQ(csv.rows.size(), 3U);
    EXPECT_EQ(csv.rows[1].unix_time(), 1672412500);
    ASSERT_EQ(csv.unreadable.size(), 3U);
    EXPECT_EQ(csv.unreadable[0].line_number, 3U);
    EXPECT_EQ(csv.unreadable[0].text, "garbage that is no row");
    EXPECT_EQ(csv.unreadable[0].reason, "unknown status");
    EXPECT_EQ(csv.unreadable[1].line_number, 5U);
    EXPECT_EQ(csv.unreadable[1].reason, "empty line");
    EXPECT_EQ(csv.unreadable[2].line_number, 6U);
    EXPECT_NE(csv.unreadable[2].reason.find("Unix Time"), std::string::npos);

    // Written back: the same lines in the same places, '\n' after the last one too.
    EXPECT_EQ(format_miscale_csv(csv), text + "\n");
}

TEST(MiscaleCsv, WritesCrLfFilesBackWithLf)
{
    const std::string text = k_header + "\r\nto_import;1721076654;55.2;508\r\nnonsense\r\n";
    const MiscaleCsv csv = parse_miscale_csv(text);
    ASSERT_EQ(csv.rows.size(), 1U);
    ASSERT_EQ(csv.unreadable.size(), 1U);
    EXPECT_EQ(csv.unreadable[0].text, "nonsense");
    EXPECT_EQ(format_miscale_csv(csv), k_header + "\nto_import;1721076654;55.2;508\nnonsense\n");
}

TEST(MiscaleCsv, KeepsAFileWithoutHeaderAsItIs)
{
    const std::string text = "to_import;1721076654;55.2;508\nuploaded;1\n";
    const MiscaleCsv csv = parse_miscale_csv(text);
    EXPECT_FALSE(csv.header.has_value());
    EXPECT_EQ(csv.first_data_line(), 1U);
    ASSERT_EQ(csv.unreadable.size(), 1U);
    EXPECT_EQ(csv.unreadable[0].line_number, 2U);
    EXPECT_EQ(format_miscale_csv(csv), text);
}

TEST(MiscaleCsv, KeepsAnOlderHeaderVerbatim)
{
    const std::string old_header =
        "Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];Weight [kg];Whatever";
    const MiscaleCsv csv = parse_miscale_csv(old_header + "\n");
    EXPECT_EQ(csv.header, old_header);
    EXPECT_TRUE(csv.rows.empty());
    EXPECT_TRUE(csv.unreadable.empty());
    EXPECT_EQ(format_miscale_csv(csv), old_header + "\n");
}

TEST(MiscaleCsv, EmptyTextIsAnEmptyDocument)
{
    const MiscaleCsv csv = parse_miscale_csv("");
    EXPECT_FALSE(csv.header.has_value());
    EXPECT_TRUE(csv.rows.empty());
    EXPECT_EQ(format_miscale_csv(csv), "");
}

TEST(MiscaleCsv, SurvivesArbitraryBytes)
{
    std::string bytes;
    for (int i = 0; i < 4096; ++i) {
        bytes += static_cast<char>((i * 7919) % 256);
        if (i % 97 == 0) {
            bytes += ";to_import;1;2;3\n";
        }
    }
    const MiscaleCsv csv = parse_miscale_csv(bytes);
    const std::string once = format_miscale_csv(csv);
    EXPECT_EQ(format_miscale_csv(parse_miscale_csv(once)), once);
}

}  // namespace
}  // namespace ble2garmin::store
