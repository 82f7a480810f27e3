#include "store/miscale_backup.hpp"

#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store_test_support.hpp"
#include "util/time.hpp"

namespace ble2garmin::store {
namespace {

using testing_support::files_starting_with;
using testing_support::lines_of;
using testing_support::read_text;
using testing_support::RecordingFileSync;
using testing_support::ScopedTimeZone;
using testing_support::TempDir;
using testing_support::write_text;

// export2garmin-compat.md §6.1, typed out again here so that a wrong constant cannot pass.
const std::string k_export2garmin_header =
    "Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];Weight [kg];Change [kg];BMI;Body Fat [%];"
    "Skeletal Muscle Mass [kg];Bone Mass [kg];Body Water [%];Physique Rating;Visceral Fat;"
    "Metabolic Age [years];BMR [kCal];LBM [kg];Ideal Wieght [kg];Fat Mass To Ideal [type:mass kg];"
    "Protein [%];Impedance;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];Difference Time [s]";

const std::filesystem::path k_fixture =
    std::filesystem::path(BLE2GARMIN_TEST_DATA_DIR) / "export2garmin" / "miscale_backup.csv";

body::Composition composition_for(double weight)
{
    body::Composition c;
    c.weight = weight;
    c.bmi = weight / (1.72 * 1.72);
    c.body_fat = 11.2;
    c.muscle_mass = 46.6;
    c.bone_mass = 2.55;
    c.water = 60.9;
    c.physique_rating = 7;
    c.visceral_fat = 4.4;
    c.metabolic_age = 19.4;
    c.basal_metabolism = 1220.2;
    c.lean_body_mass = 51.2;
    c.protein = 23.2;
    c.ideal_weight = 64.4;
    c.fat_mass_to_ideal = -6.5;
    c.impedance = 510;
    return c;
}

UploadedScale upload(double weight, std::int64_t measured, std::int64_t uploaded,
                     const std::string& email = "email@email.com")
{
    return UploadedScale{composition_for(weight), email, from_unix_seconds(measured),
                         from_unix_seconds(uploaded)};
}

PendingScaleRow reading(std::int64_t unix_time, double weight, std::optional<int> impedance = 512)
{
    PendingScaleRow row;
    row.unix_time = unix_time;
    row.weight_kg = weight;
    row.impedance_ohm = impedance;
    return row;
}

// The checks export2garmin's own scripts rely on: the status word, the column count it implies and
// the text of every field they read or write.
void expect_export2garmin_row(const std::string& line)
{
    static const std::regex unix_time("\\d{10}");
    static const std::regex one_decimal("\\d+\\.\\d");
    static const std::regex signed_one_decimal("-?\\d+\\.\\d");
    static const std::regex whole("\\d+");
    static const std::regex date("\\d\\d\\.\\d\\d\\.\\d{4}");
    static const std::regex clock("\\d\\d:\\d\\d");
    static const std::regex fat_to_ideal("to_(gain|lose):\\d+\\.\\d");
    static const std::regex email("[^@;]+@[^@;]+");
    static const std::regex diff("-?\\d*");

    std::vector<std::string> f;
    std::string field;
    for (const char c : line + ";") {
        if (c == ';') {
            f.push_back(field);
            field.clear();
        } else {
            field += c;
        }
    }
    SCOPED_TRACE(line);
    ASSERT_TRUE(f[0] == "to_import" || f[0] == "failed" || f[0] == "uploaded");
    EXPECT_TRUE(std::regex_match(f[1], unix_time));
    if (f[0] != "uploaded") {
        ASSERT_EQ(f.size(), 4U);
        EXPECT_TRUE(std::regex_match(f[2], one_decimal));
        EXPECT_TRUE(std::regex_match(f[3], whole));
        return;
    }
    if (f.size() == 19) {  // pre-v3 row (export2garmin#27), read and kept as it is
        EXPECT_EQ(f[1], "1674744927");
        return;
    }
    ASSERT_EQ(f.size(), 24U);
    EXPECT_TRUE(std::regex_match(f[2], date));
    EXPECT_TRUE(std::regex_match(f[3], clock));
    EXPECT_TRUE(std::regex_match(f[4], one_decimal));
    EXPECT_TRUE(std::regex_match(f[5], signed_one_decimal));
    for (const std::size_t i : std::initializer_list<std::size_t>{6, 7, 8, 9, 10, 15, 16, 18}) {
        EXPECT_TRUE(std::regex_match(f[i], one_decimal)) << "field " << i;
    }
    for (const std::size_t i : std::initializer_list<std::size_t>{11, 12, 13, 14, 19}) {
        EXPECT_TRUE(std::regex_match(f[i], whole)) << "field " << i;
    }
    EXPECT_TRUE(std::regex_match(f[17], fat_to_ideal));
    EXPECT_TRUE(std::regex_match(f[20], email));
    EXPECT_TRUE(std::regex_match(f[21], date));
    EXPECT_TRUE(std::regex_match(f[22], clock));
    EXPECT_TRUE(std::regex_match(f[23], diff));
}

TEST(MiscaleBackup, UpdatesAnExport2garminFileTheWayExport2garminExpects)
{
    const ScopedTimeZone warsaw("Europe/Warsaw");
    TempDir dir;
    const std::filesystem::path path = dir / "miscale_backup.csv";
    std::filesystem::copy_file(k_fixture, path);
    const std::string original = read_text(path);
    const std::vector<std::string> before = lines_of(original);
    ASSERT_EQ(before.size(), 10U);

    auto backup = MiscaleBackup::open(path, {.battery = true, .s400 = true});
    ASSERT_TRUE(backup.ok()) << backup.error().message;
    EXPECT_EQ(backup->suffixes(), (HeaderSuffixes{}));  // the file's header wins
    EXPECT_EQ(backup->rows().size(), 8U);
    ASSERT_EQ(backup->unreadable_lines().size(), 1U);
    EXPECT_EQ(backup->unreadable_lines()[0].line_number, 9U);
    EXPECT_EQ(backup->unreadable_lines()[0].text, "uploaded;1721395");
    EXPECT_EQ(backup->rows()[0].layout(), RowLayout::uploaded_legacy);
    const auto pending = backup->pending();
    ASSERT_EQ(pending.size(), 3U);
    EXPECT_EQ(pending[0].unix_time(), 1721249454);
    EXPECT_EQ(pending[1].unix_time(), 1721290017);
    EXPECT_EQ(pending[2].unix_time(), 1721421600);
    EXPECT_EQ(read_text(path), original);  // reading changes nothing

    ASSERT_TRUE(backup->append_pending(reading(1721481000, 55.3)).ok());
    auto uploaded = backup->mark_uploaded(1721249454, upload(55.4, 1721249454, 1721249514));
    ASSERT_TRUE(uploaded.ok()) << uploaded.error().message;
    ASSERT_TRUE(backup->mark_failed(1721290017).ok());

    const std::string result = read_text(path);
    ASSERT_FALSE(result.empty());
    EXPECT_EQ(result.back(), '\n');
    EXPECT_EQ(result.find('\r'), std::string::npos);
    const std::vector<std::string> after = lines_of(result);
    ASSERT_EQ(after.size(), before.size() + 1);
    EXPECT_EQ(after[0], k_export2garmin_header);
    for (std::size_t i = 1; i < after.size(); ++i) {
        if (i != 8) {
            expect_export2garmin_row(after[i]);
        }
    }
    EXPECT_EQ(after[8], "uploaded;1721395");  // the unreadable line, untouched
    // Change: 55.4 − 55.6, the user's previous uploaded weight (16.07); Diff 60 s.
    EXPECT_EQ(after[5],
              "uploaded;1721249454;17.07.2024;22:50;55.4;-0.2;18.7;11.2;46.6;2.5;60.9;7;4;19;1220;51.2;64.4;"
              "to_gain:6.5;23.2;510;email@email.com;17.07.2024;22:51;60");
    EXPECT_EQ(after[6], "failed;1721290017;82.9;441");
    EXPECT_EQ(after[10], "to_import;1721481000;55.3;512");
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (i != 5 && i != 6) {
            EXPECT_EQ(after[i], before[i]) << "line " << i + 1;
        }
    }

    // The in-memory rows are what a fresh read gives.
    auto reread = MiscaleBackup::open(path, {});
    ASSERT_TRUE(reread.ok());
    ASSERT_EQ(reread->rows().size(), backup->rows().size());
    for (std::size_t i = 0; i < reread->rows().size(); ++i) {
        EXPECT_EQ(reread->rows()[i].text(), backup->rows()[i].text());
    }
    const auto still_pending = reread->pending();
    ASSERT_EQ(still_pending.size(), 3U);
    EXPECT_EQ(still_pending[0].status(), RowStatus::failed);
    EXPECT_EQ(still_pending[0].unix_time(), 1721290017);
    EXPECT_EQ(still_pending[2].unix_time(), 1721481000);
}

TEST(MiscaleBackup, OpenCreatesNothingAndTheFirstAppendWritesTheHeader)
{
    TempDir dir;
    const std::filesystem::path path = dir / "miscale_backup.csv";
    RecordingFileSync sync;
    auto backup = MiscaleBackup::open(path, {.battery = false, .s400 = true}, sync);
    ASSERT_TRUE(backup.ok());
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_TRUE(backup->rows().empty());

    PendingScaleRow row = reading(1721076654, 58.1, 509);
    row.impedance_high_ohm = 421;
    row.heart_rate_bpm = 72;
    row.battery_volts = 3.1;  // no battery columns in this file: not written
    ASSERT_TRUE(backup->append_pending(row).ok());
    EXPECT_EQ(read_text(path), k_export2garmin_header +
                                   ";Impedance Low;Heart Rate [bpm]\nto_import;1721076654;58.1;509;421;72\n");
    EXPECT_EQ(sync.files, std::vector<std::filesystem::path>{path});
    EXPECT_EQ(sync.directories, std::vector<std::filesystem::path>{dir.path()});
    struct stat status {};
    ASSERT_EQ(::stat(path.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 07777, 0644U);
    ASSERT_EQ(backup->rows().size(), 1U);
    EXPECT_EQ(backup->rows()[0].extras().size(), 2U);

    row.status = RowStatus::unassigned;
    row.unix_time += 600;
    row.impedance_ohm.reset();
    row.heart_rate_bpm.reset();
    ASSERT_TRUE(backup->append_pending(row).ok());
    EXPECT_EQ(lines_of(read_text(path)).back(), "unassigned;1721077254;58.1;;421;");
    EXPECT_TRUE(backup->pending().size() == 1);  // unassigned rows wait for no upload
}

TEST(MiscaleBackup, EmptyFileGetsTheHeaderOfTheConfiguredColumns)
{
    TempDir dir;
    const std::filesystem::path path = dir / "miscale_backup.csv";
    write_text(path, "");
    auto backup = MiscaleBackup::open(path, {.battery = true, .s400 = true});
    ASSERT_TRUE(backup.ok());
    PendingScaleRow row = reading(1672412076, 58.4, 521);
    row.battery_volts = 3.5;
    row.battery_percent = 5;
    ASSERT_TRUE(backup->append_pending(row).ok());
    EXPECT_EQ(read_text(path), k_export2garmin_header +
                                   ";Battery [V];Battery [%];Impedance Low;Heart Rate [bpm]\n"
                                   "to_import;1672412076;58.4;521;3.5;5;;\n");
}

TEST(MiscaleBackup, ReportsUnreadableLinesWithTheirNumbersAndKeepsThem)
{
    TempDir dir;
    const std::filesystem::path path = dir / "miscale_backup.csv";
    const std::string text = k_export2garmin_header +
                             "\r\n"
                             "to_import;1721076654;55.2;508\r\n"
                             "to_import;1721076999;55.2\r\n"
                             "pending;1721077000;55.2;508\r\n"
                             "to_import;172107700O;55.2;508\r\n"
                             "to_import;1721077100;55.3;509";  // no final newline
    write_text(path, text);
    auto backup = MiscaleBackup::open(path, {});
    ASSERT_TRUE(backup.ok());
    const auto& unreadable = backup->unreadable_lines();
    ASSERT_EQ(unreadable.size(), 3U);
    EXPECT_EQ(unreadable[0].line_number, 3U);
    EXPECT_NE(unreadable[0].reason.find("field count"), std::string::npos);
    EXPECT_EQ(unreadable[1].line_number, 4U);
    EXPECT_EQ(unreadable[1].reason, "unknown status");
    EXPECT_EQ(unreadable[2].line_number, 5U);
    EXPECT_EQ(unreadable[2].text, "to_import;172107700O;55.2;508");
    ASSERT_EQ(backup->rows().size(), 2U);

    // An append goes on a line of its own; a rewrite normalises the line ends to '\n'.
    ASSERT_TRUE(backup->append_pending(reading(1721078000, 55.4)).ok());
    ASSERT_TRUE(backup->mark_failed(1721076654).ok());
    EXPECT_EQ(read_text(path), k_export2garmin_header +
                                   "\n"
                                   "failed;1721076654;55.2;508\n"
                                   "to_import;1721076999;55.2\n"
                                   "pending;1721077000;55.2;508\n"
                                   "to_import;172107700O;55.2;508\n"
                                   "to_import;1721077100;55.3;509\n"
                                   "to_import;1721078000;55.4;512\n");
}

TEST(MiscaleBackup, StatusChangesFollowTheLifecycle)
{
    TempDir dir;
    const std::filesystem::path path = dir / "miscale_backup.csv";
    auto backup = MiscaleBackup::open(path, {});
    ASSERT_TRUE(backup.ok());
    PendingScaleRow stranger = reading(1721076000, 120.0);
    stranger.status = RowStatus::unassigned;
    ASSERT_TRUE(backup->append_pending(stranger).ok());
    ASSERT_TRUE(backup->append_pending(reading(1721076654, 55.2)).ok());

    EXPECT_FALSE(backup->mark_failed(1721076000).ok());  // unassigned: nothing was tried
    EXPECT_FALSE(backup->mark_failed(42).ok());
    EXPECT_FALSE(backup->set_status(1721076654, RowStatus::uploaded).ok());
    EXPECT_FALSE(backup->mark_uploaded(1721076000, upload(120.0, 1721076000, 1721076060)).ok());

    ASSERT_TRUE(backup->mark_failed(1721076654).ok());
    ASSERT_TRUE(backup->mark_failed(1721076654).ok());  // stays failed
    EXPECT_EQ(backup->rows()[1].status(), RowStatus::failed);
    ASSERT_TRUE(backup->set_status(1721076000, RowStatus::to_import).ok());  // a user now matches
    EXPECT_EQ(backup->pending().size(), 2U);
    EXPECT_EQ(backup->pending()[0].unix_time(), 1721076000);

    ASSERT_TRUE(backup->mark_uploaded(1721076654, upload(55.2, 1721076654, 1721076700)).ok());
    EXPECT_EQ(backup->rows()[1].status(), RowStatus::uploaded);
    EXPECT_FALSE(backup->mark_uploaded(1721076654, upload(55.2, 1721076654, 1721076700)).ok());
    EXPECT_FALSE(backup->mark_failed(1721076654).ok());
    EXPECT_FALSE(backup
                     ->append_pending([] {
                         PendingScaleRow row = reading(1721077000, 55.0);
                         row.status = RowStatus::uploaded;
                         return row;
                     }())
                     .ok());
}

TEST(MiscaleBackup, ChangeUsesTheSameUsersPreviousUpload)
{
    const ScopedTimeZone utc("UTC");
    TempDir dir;
    auto backup = MiscaleBackup::open(dir / "miscale_backup.csv", {});
    ASSERT_TRUE(backup.ok());
    for (const auto& [time, weight] : std::vector<std::pair<std::int64_t, double>>{
             {1000000000, 80.0}, {1000000100, 55.2}, {1000000200, 80.6}, {1000000300, 54.9}}) {
        ASSERT_TRUE(backup->append_pending(reading(time, weight)).ok());
    }
    const auto change_of = [&](std::size_t index) { return backup->rows()[index].fields()[5]; };
    // Uploaded out of time order: the reference is the previous weighing in time, not in upload order.
    ASSERT_TRUE(
        backup->mark_uploaded(1000000300, upload(54.9, 1000000300, 1000000400, "b@example.com")).ok());
    EXPECT_EQ(change_of(3), "0.0");
    ASSERT_TRUE(
        backup->mark_uploaded(1000000100, upload(55.2, 1000000100, 1000000400, "b@example.com")).ok());
    EXPECT_EQ(change_of(1), "0.0");
    ASSERT_TRUE(
        backup->mark_uploaded(1000000000, upload(80.0, 1000000000, 1000000400, "a@example.com")).ok());
    ASSERT_TRUE(
        backup->mark_uploaded(1000000200, upload(80.6, 1000000200, 1000000400, "a@example.com")).ok());
    EXPECT_EQ(change_of(2), "0.6");
}

TEST(MiscaleBackup, FailedRewriteChangesNeitherFileNorMemory)
{
    TempDir dir;
    const std::filesystem::path path = dir / "miscale_backup.csv";
    RecordingFileSync sync;
    auto backup = MiscaleBackup::open(path, {}, sync);
    ASSERT_TRUE(backup.ok());
    ASSERT_TRUE(backup->append_pending(reading(1721076654, 55.2)).ok());
    const std::string before = read_text(path);

    sync.fail_files = true;
    EXPECT_FALSE(backup->mark_failed(1721076654).ok());
    EXPECT_FALSE(backup->mark_uploaded(1721076654, upload(55.2, 1721076654, 1721076700)).ok());
    EXPECT_FALSE(backup->append_pending(reading(1721077654, 55.1)).ok());
    EXPECT_EQ(read_text(path), before);
    ASSERT_EQ(backup->rows().size(), 1U);
    EXPECT_EQ(backup->rows()[0].status(), RowStatus::to_import);
    EXPECT_TRUE(files_starting_with(dir.path(), ".miscale_backup.csv.tmp-").empty());
}

TEST(MiscaleBackup, OpenRemovesStaleTempFilesWithoutReadingThem)
{
    TempDir dir;
    const std::filesystem::path path = dir / "miscale_backup.csv";
    write_text(path, k_export2garmin_header + "\nto_import;1721076654;55.2;508\n");
    write_text(dir / ".miscale_backup.csv.tmp-AbC123", k_export2garmin_header + "\nfailed;17210");
    auto backup = MiscaleBackup::open(path, {});
    ASSERT_TRUE(backup.ok());
    EXPECT_TRUE(files_starting_with(dir.path(), ".miscale_backup.csv.tmp-").empty());
    ASSERT_EQ(backup->rows().size(), 1U);
    EXPECT_EQ(backup->rows()[0].status(), RowStatus::to_import);
}

TEST(MiscaleBackup, RewriteKeepsTheFileMode)
{
    TempDir dir;
    const std::filesystem::path path = dir / "miscale_backup.csv";
    write_text(path, k_export2garmin_header + "\nto_import;1721076654;55.2;508\n");
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
    auto backup = MiscaleBackup::open(path, {});
    ASSERT_TRUE(backup.ok());
    ASSERT_TRUE(backup->mark_failed(1721076654).ok());
    struct stat status {};
    ASSERT_EQ(::stat(path.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 07777, 0600U);
}

TEST(MiscaleBackup, UnreadableFileIsAnError)
{
    TempDir dir;
    std::filesystem::create_directory(dir / "miscale_backup.csv");
    EXPECT_FALSE(MiscaleBackup::open(dir / "miscale_backup.csv", {}).ok());
}

}  // namespace
}  // namespace ble2garmin::store
