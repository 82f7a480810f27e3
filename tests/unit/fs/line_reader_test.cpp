// LineReader against a naive split of the same text: every line ending style, at every position of
// the read buffer.

#include "fs/line_reader.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "../store/store_test_support.hpp"

namespace ble2garmin::fs {
namespace {

using store::testing_support::TempDir;
using store::testing_support::write_text;

struct Expected {
    std::string text;
    std::string ending;
};

std::vector<Expected> read_all(LineReader& reader)
{
    std::vector<Expected> lines;
    Line line;
    while (reader.next(line)) {
        EXPECT_EQ(line.number, lines.size() + 1);
        lines.push_back({line.text, std::string(line.ending)});
    }
    EXPECT_FALSE(reader.error());
    return lines;
}

bool operator==(const Expected& a, const Expected& b)
{
    return a.text == b.text && a.ending == b.ending;
}

void PrintTo(const Expected& line, std::ostream* out)
{
    *out << '"' << line.text << "\" + "
         << (line.ending == "\r\n" ? "CRLF"
             : line.ending == "\r" ? "CR"
             : line.ending == "\n" ? "LF"
                                   : "none");
}

TEST(LineReader, GivesEveryLineWithItsOwnEnding)
{
    auto reader = LineReader::from_text("a\nb\r\nc\rd\r\r\ne");
    EXPECT_EQ(read_all(reader),
              (std::vector<Expected>{
                  {"a", "\n"}, {"b", "\r\n"}, {"c", "\r"}, {"d", "\r"}, {"", "\r\n"}, {"e", ""}}));
}

TEST(LineReader, ACarriageReturnOnlyFileIsManyLines)
{
    // An old Mac editor's export2garmin file: header and two rows, "\r" only.
    auto reader =
        LineReader::from_text("Data Status;Unix Time\rto_import;1;55.2;508\rto_import;2;55.3;509\r");
    const auto lines = read_all(reader);
    ASSERT_EQ(lines.size(), 3U);
    EXPECT_EQ(lines[2], (Expected{"to_import;2;55.3;509", "\r"}));
}

TEST(LineReader, EndingsAtEveryBufferPositionMatchANaiveSplit)
{
    // Lines of growing length so that "\r\n" pairs, lone "\r"s and "\n"s straddle every offset of the
    // read buffer (64 KiB) at least once; the file is read from disk like the backups are.
    std::string text;
    std::vector<Expected> expected;
    const char* endings[] = {"\r\n", "\r", "\n"};
    for (std::size_t i = 0; text.size() < 3 * 65536 + 1000; ++i) {
        std::string line(i % 997, static_cast<char>('a' + i % 26));
        const std::string ending = endings[i % 3];
        text += line + ending;
        expected.push_back({line, ending});
    }
    TempDir dir;
    write_text(dir / "file.csv", text);
    auto reader = LineReader::open(dir / "file.csv");
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    const auto lines = read_all(*reader);
    ASSERT_EQ(lines.size(), expected.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        ASSERT_EQ(lines[i], expected[i]) << "line " << i + 1;
    }
}

TEST(LineReader, AMissingFileHasNoLinesAndASymlinkIsRefused)
{
    TempDir dir;
    auto missing = LineReader::open(dir / "missing.csv");
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(missing->exists());
    Line line;
    EXPECT_FALSE(missing->next(line));

    write_text(dir / "real.csv", "row\n");
    std::filesystem::create_symlink(dir / "real.csv", dir / "link.csv");
    auto linked = LineReader::open(dir / "link.csv");
    ASSERT_FALSE(linked.ok());
    EXPECT_NE(linked.error().message.find("symbolic link"), std::string::npos) << linked.error().message;
    EXPECT_FALSE(LineReader::open(dir.path()).ok());  // a directory is not a file
}

TEST(LineReader, NewLinesFollowTheFilesOwnStyle)
{
    EXPECT_EQ(line_ending_or_default("\r\n"), "\r\n");
    EXPECT_EQ(line_ending_or_default("\r"), "\r");
    EXPECT_EQ(line_ending_or_default(""), "\n");
}

}  // namespace
}  // namespace ble2garmin::fs
