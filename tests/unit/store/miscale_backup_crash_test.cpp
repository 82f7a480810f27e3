// Crash safety of status rewrites: a child process rewrites row statuses in a loop and is killed
// with SIGKILL at random moments. Whatever the moment, the backup must be complete afterwards: an
// in-place rewrite (truncate, then write) would leave it empty or cut short.

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/miscale_backup.hpp"
#include "store_test_support.hpp"

namespace ble2garmin::store {
namespace {

using testing_support::files_starting_with;
using testing_support::read_text;
using testing_support::TempDir;
using testing_support::write_text;

constexpr int k_rows = 400;
constexpr int k_kills = 50;

// Every fourth row uploaded, the others pending, so that the file is a few hundred rows of
// realistic length.
std::string make_backup()
{
    std::string text = make_miscale_header({}) + "\n";
    for (int i = 0; i < k_rows; ++i) {
        const std::string time = std::to_string(1700000000 + i * 600);
        if (i % 4 == 0) {
            text += "uploaded;" + time +
                    ";14.11.2023;23:13;55.2;0.0;18.7;10.8;46.7;2.6;61.2;7;4;19;1217;51.1;64.4;to_gain:6.8;23."
                    "4;508;"
                    "email@email.com;14.11.2023;23:14;60\n";
        } else {
            text += "to_import;" + time + ";" + std::to_string(50 + i % 40) + "." + std::to_string(i % 10) +
                    ";" + std::to_string(400 + i) + "\n";
        }
    }
    return text;
}

// The row text after the status word, which no status change may alter.
std::string after_status(const std::string& line)
{
    return line.substr(line.find(';'));
}

// Runs in the child: flips every pending row between failed and to_import until killed. Exit codes
// tell the parent what went wrong if it stops by itself.
[[noreturn]] void rewrite_until_killed(const std::filesystem::path& path, int ready_fd)
{
    auto backup = MiscaleBackup::open(path, {});
    if (!backup) {
        ::_exit(2);
    }
    // Tells the parent that the kill may come: the rewrites start now.
    const char ready = 'r';
    if (::write(ready_fd, &ready, 1) != 1) {
        ::_exit(4);
    }
    ::close(ready_fd);
    std::vector<std::int64_t> times;
    for (const MiscaleRow& row : backup->rows()) {
        if (row.status() != RowStatus::uploaded) {
            times.push_back(row.unix_time());
        }
    }
    for (bool fail = true;; fail = !fail) {
        for (const std::int64_t time : times) {
            if (!backup->set_status(time, fail ? RowStatus::failed : RowStatus::to_import)) {
                ::_exit(3);
            }
        }
    }
}

TEST(MiscaleBackupCrash, SigkillDuringRewritesNeverLeavesAPartialFile)
{
    TempDir dir;
    const std::filesystem::path path = dir / "miscale_backup.csv";
    const std::string original = make_backup();
    write_text(path, original);
    const MiscaleCsv expected = parse_miscale_csv(original);
    ASSERT_EQ(expected.rows.size(), static_cast<std::size_t>(k_rows));
    const std::string temp_prefix = ".miscale_backup.csv.tmp-";

    const unsigned seed = std::random_device{}();
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 random(seed);
    // From inside the first rewrite to several whole rewrites. A rewrite is two fsyncs and a rename:
    // under a sanitizer on a loaded machine it can take several milliseconds, hence the long tail.
    std::uniform_int_distribution<int> delay_us(100, 50000);

    int changed = 0;
    int stray_temp_files = 0;
    for (int kill = 0; kill < k_kills; ++kill) {
        SCOPED_TRACE("kill " + std::to_string(kill));
        int ready[2];
        ASSERT_EQ(::pipe(ready), 0);
        const pid_t child = ::fork();
        ASSERT_NE(child, -1);
        if (child == 0) {
            ::close(ready[0]);
            rewrite_until_killed(path, ready[1]);
        }
        ::close(ready[1]);
        char signal = 0;
        const ssize_t got = ::read(ready[0], &signal, 1);  // 0 when the child died before its rewrites
        ::close(ready[0]);
        if (got == 1) {
            std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
        }
        ASSERT_EQ(::kill(child, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFSIGNALED(status)) << "child stopped by itself with exit code " << WEXITSTATUS(status);

        const std::string text = read_text(path);
        ASSERT_FALSE(text.empty());
        ASSERT_EQ(text.back(), '\n') << "last line cut short";
        const MiscaleCsv csv = parse_miscale_csv(text);
        ASSERT_EQ(csv.header, expected.header);
        ASSERT_TRUE(csv.unreadable.empty()) << "partial row at line " << csv.unreadable.front().line_number;
        ASSERT_EQ(csv.rows.size(), expected.rows.size());
        for (std::size_t i = 0; i < csv.rows.size(); ++i) {
            ASSERT_EQ(after_status(csv.rows[i].text()), after_status(expected.rows[i].text())) << "row " << i;
            ASSERT_EQ(csv.rows[i].status() == RowStatus::uploaded,
                      expected.rows[i].status() == RowStatus::uploaded);
        }
        changed += text != original ? 1 : 0;

        // A temp file the kill left behind is not the backup, and the next open removes it.
        stray_temp_files += static_cast<int>(files_starting_with(dir.path(), temp_prefix).size());
        auto reopened = MiscaleBackup::open(path, {});
        ASSERT_TRUE(reopened.ok());
        ASSERT_EQ(reopened->rows().size(), expected.rows.size());
        ASSERT_TRUE(files_starting_with(dir.path(), temp_prefix).empty());
    }
    // The children really rewrote the file, or the test proved nothing.
    EXPECT_GT(changed, 0);
    RecordProperty("stray_temp_files", stray_temp_files);
}

}  // namespace
}  // namespace ble2garmin::store
