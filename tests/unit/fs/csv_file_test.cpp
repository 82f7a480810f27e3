#include "fs/csv_file.hpp"

#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../store/store_test_support.hpp"

namespace ble2garmin::fs {
namespace {

using store::testing_support::files_starting_with;
using store::testing_support::read_text;
using store::testing_support::RecordingFileSync;
using store::testing_support::TempDir;
using store::testing_support::write_text;

mode_t mode_of(const std::filesystem::path& path)
{
    struct stat status {};
    EXPECT_EQ(::stat(path.c_str(), &status), 0);
    return status.st_mode & 07777;
}

// Restores the process umask.
class ScopedUmask {
public:
    explicit ScopedUmask(mode_t mask) : m_old(::umask(mask)) {}
    ScopedUmask(const ScopedUmask&) = delete;
    ScopedUmask& operator=(const ScopedUmask&) = delete;
    ~ScopedUmask() { ::umask(m_old); }

private:
    mode_t m_old;
};

TEST(CsvFile, ReadsNothingForAMissingFile)
{
    TempDir dir;
    CsvFile file(dir / "missing.csv");
    auto content = file.read();
    ASSERT_TRUE(content.ok());
    EXPECT_FALSE(content->has_value());
    EXPECT_FALSE(CsvFile(dir.path()).read().ok());  // a directory cannot be read as a file
}

TEST(CsvFile, AppendCreatesTheFileWithHeaderMode0600AndSyncsFileAndDirectory)
{
    TempDir dir;
    RecordingFileSync sync;
    const ScopedUmask lax(0);  // health data stays private whatever the umask
    CsvFile file(dir / "backup.csv", sync);
    auto appended = file.append("row 1\n", "header\n");
    ASSERT_TRUE(appended.ok()) << appended.error().message;
    EXPECT_TRUE(appended->created);
    EXPECT_TRUE(appended->wrote_header);
    EXPECT_EQ(read_text(file.path()), "header\nrow 1\n");
    EXPECT_EQ(mode_of(file.path()), 0600U);
    EXPECT_EQ(sync.files, std::vector<std::filesystem::path>{file.path()});
    EXPECT_EQ(sync.directories, std::vector<std::filesystem::path>{dir.path()});

    // Appending to an existing file syncs the file only.
    appended = file.append("row 2\n", "header\n");
    ASSERT_TRUE(appended.ok());
    EXPECT_FALSE(appended->created);
    EXPECT_FALSE(appended->wrote_header);
    EXPECT_EQ(read_text(file.path()), "header\nrow 1\nrow 2\n");
    EXPECT_EQ(sync.files.size(), 2U);
    EXPECT_EQ(sync.directories.size(), 1U);
}

TEST(CsvFile, AppendWritesTheHeaderIntoAnEmptyFile)
{
    TempDir dir;
    write_text(dir / "backup.csv", "");
    CsvFile file(dir / "backup.csv");
    auto appended = file.append("row\n", "header\n");
    ASSERT_TRUE(appended.ok());
    EXPECT_FALSE(appended->created);
    EXPECT_TRUE(appended->wrote_header);
    EXPECT_EQ(read_text(file.path()), "header\nrow\n");
}

TEST(CsvFile, AppendEndsAnUnterminatedLastLineFirst)
{
    TempDir dir;
    write_text(dir / "backup.csv", "header\r\nold row");
    CsvFile file(dir / "backup.csv");
    auto appended = file.append("new row\n", "header\n");
    ASSERT_TRUE(appended.ok());
    EXPECT_TRUE(appended->added_line_end);
    EXPECT_EQ(read_text(file.path()), "header\r\nold row\nnew row\n");
}

TEST(CsvFile, FailedFsyncUndoesTheAppend)
{
    TempDir dir;
    write_text(dir / "backup.csv", "header\nrow 1\n");
    RecordingFileSync sync;
    sync.fail_files = true;
    CsvFile file(dir / "backup.csv", sync);
    auto appended = file.append("row 2\n", "header\n");
    ASSERT_FALSE(appended.ok());
    EXPECT_NE(appended.error().message.find("injected"), std::string::npos);
    EXPECT_EQ(read_text(file.path()), "header\nrow 1\n");
}

TEST(CsvFile, AppendFailsInAMissingDirectory)
{
    TempDir dir;
    CsvFile file(dir / "no" / "backup.csv");
    auto appended = file.append("row\n", "header\n");
    ASSERT_FALSE(appended.ok());
    EXPECT_NE(appended.error().message.find("backup.csv"), std::string::npos);
}

TEST(CsvFile, ReplaceKeepsTheModeAndSyncsTempFileAndDirectory)
{
    TempDir dir;
    write_text(dir / "backup.csv", "old\n");
    ASSERT_EQ(::chmod((dir / "backup.csv").c_str(), 0640), 0);
    RecordingFileSync sync;
    CsvFile file(dir / "backup.csv", sync);
    auto replaced = file.replace("new\n");
    ASSERT_TRUE(replaced.ok()) << replaced.error().message;
    EXPECT_EQ(read_text(file.path()), "new\n");
    EXPECT_EQ(mode_of(file.path()), 0640U);
    ASSERT_EQ(sync.files.size(), 1U);
    EXPECT_EQ(sync.files[0].filename().string().rfind(file.temp_file_prefix(), 0), 0U);
    EXPECT_EQ(sync.directories, std::vector<std::filesystem::path>{dir.path()});
    EXPECT_TRUE(files_starting_with(dir.path(), file.temp_file_prefix()).empty());
}

TEST(CsvFile, FailedReplaceLeavesTheOriginalAndNoTempFile)
{
    TempDir dir;
    write_text(dir / "backup.csv", "old\n");
    RecordingFileSync sync;
    sync.fail_files = true;
    CsvFile file(dir / "backup.csv", sync);
    EXPECT_FALSE(file.replace("new\n").ok());
    EXPECT_EQ(read_text(file.path()), "old\n");
    EXPECT_TRUE(files_starting_with(dir.path(), file.temp_file_prefix()).empty());

    // A failing directory fsync comes after the rename: the new text is in place.
    sync.fail_files = false;
    sync.fail_directories = true;
    EXPECT_TRUE(file.replace("new\n").ok());
    EXPECT_EQ(read_text(file.path()), "new\n");
}

TEST(CsvFile, ReplaceKeepsTheOwnerWhenRunningAsRoot)
{
    if (::geteuid() != 0) {
        GTEST_SKIP() << "only root can give a file away";
    }
    TempDir dir;
    write_text(dir / "backup.csv", "old\n");
    ASSERT_EQ(::chown((dir / "backup.csv").c_str(), 1234, 2345), 0);
    CsvFile file(dir / "backup.csv");
    ASSERT_TRUE(file.replace("new\n").ok());
    struct stat status {};
    ASSERT_EQ(::stat(file.path().c_str(), &status), 0);
    EXPECT_EQ(status.st_uid, 1234U);
    EXPECT_EQ(status.st_gid, 2345U);
}

TEST(CsvFile, ASymlinkIsRefusedAndItsTargetLeftAlone)
{
    TempDir dir;
    write_text(dir / "real.csv", "old\n");
    std::filesystem::create_symlink(dir / "real.csv", dir / "link.csv");
    CsvFile file(dir / "link.csv");
    const auto replaced = file.replace("new\n");
    ASSERT_FALSE(replaced.ok());
    EXPECT_NE(replaced.error().message.find("symbolic link"), std::string::npos) << replaced.error().message;
    EXPECT_FALSE(file.append("row\n", "header\n").ok());
    EXPECT_FALSE(file.read().ok());
    EXPECT_TRUE(std::filesystem::is_symlink(dir / "link.csv"));
    EXPECT_EQ(read_text(dir / "real.csv"), "old\n");
}

TEST(CsvFile, RemovesOnlyItsOwnStaleTempFiles)
{
    TempDir dir;
    CsvFile file(dir / "backup.csv");
    EXPECT_EQ(file.temp_file_prefix(), ".backup.csv.tmp-");
    write_text(dir / ".backup.csv.tmp-a1B2c3", "half a rewr");
    write_text(dir / ".backup.csv.tmp-Zz9Zz9", "");
    write_text(dir / ".backup.csv.tmp-keep", "not ours: other length");
    write_text(dir / ".other.csv.tmp-a1B2c3", "another file's");
    write_text(dir / "backup.csv", "kept\n");
    EXPECT_EQ(file.remove_stale_temp_files(), 2U);
    EXPECT_EQ(files_starting_with(dir.path(), ".backup.csv.tmp-"),
              std::vector<std::string>{".backup.csv.tmp-keep"});
    EXPECT_TRUE(std::filesystem::exists(dir / ".other.csv.tmp-a1B2c3"));
    EXPECT_EQ(read_text(file.path()), "kept\n");
}

}  // namespace
}  // namespace ble2garmin::fs
