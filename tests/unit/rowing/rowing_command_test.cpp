// `ble2garmin rowing convert` run as a process: outputs, modes and exit codes.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "../cli/cli_test_support.hpp"

namespace ble2garmin::cli {
namespace {

using testing_support::CliTest;
using testing_support::CommandRun;

const std::string k_data = std::string(BLE2GARMIN_TEST_DATA_DIR) + "/rowing/";

class RowingConvert : public CliTest {
protected:
    std::filesystem::path copy_of(const std::string& name)
    {
        const std::filesystem::path target = m_dir / name;
        std::filesystem::copy_file(k_data + name, target);
        return target;
    }
};

TEST_F(RowingConvert, WritesTheFitBesideTheInputWithMode0600)
{
    const auto input = copy_of("other_app.tcx");
    const CommandRun result = run("rowing convert " + input.string());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("1200 m in 5:00, 3 laps, 108 strokes, 76 kcal"), std::string::npos)
        << result.out;
    struct stat info {};
    ASSERT_EQ(::stat((m_dir / "other_app.fit").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(RowingConvert, OutputOptions)
{
    const auto input = copy_of("other_app.tcx");
    EXPECT_EQ(run("rowing convert " + input.string() + " -o " + (m_dir / "x.fit").string()).exit_code, 0);
    EXPECT_TRUE(std::filesystem::exists(m_dir / "x.fit"));
    std::filesystem::create_directory(m_dir / "out");
    const CommandRun both =
        run("rowing convert " + input.string() + " " + k_data + "coxswain_10k.tcx --output-dir " +
            (m_dir / "out").string() + " --split-m 1000");
    EXPECT_EQ(both.exit_code, 0) << both.err;
    EXPECT_NE(both.out.find("9999 m in 38:15, 10 laps, 849 strokes, 639 kcal"), std::string::npos)
        << both.out;
    EXPECT_TRUE(std::filesystem::exists(m_dir / "out" / "other_app.fit"));
    EXPECT_TRUE(std::filesystem::exists(m_dir / "out" / "coxswain_10k.fit"));
}

TEST_F(RowingConvert, UsageErrors)
{
    const auto input = copy_of("other_app.tcx");
    // -o with two inputs, -o with --output-dir, no input, a missing input, a split out of range.
    EXPECT_EQ(
        run("rowing convert " + input.string() + " " + input.string() + " -o " + (m_dir / "x.fit").string())
            .exit_code,
        2);
    EXPECT_EQ(run("rowing convert " + input.string() + " -o a.fit --output-dir " + m_dir.string()).exit_code,
              2);
    EXPECT_EQ(run("rowing convert").exit_code, 2);
    EXPECT_EQ(run("rowing convert " + (m_dir / "missing.tcx").string()).exit_code, 2);
    EXPECT_EQ(run("rowing convert " + input.string() + " --split-m 0").exit_code, 2);
    EXPECT_EQ(run("rowing").exit_code, 2);
}

TEST_F(RowingConvert, MalformedInputIsOneLineWithTheLineNumberAndTheOthersStillConvert)
{
    const auto good = copy_of("other_app.tcx");
    const auto bad = write("broken.tcx", "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase>\n<x>\n");
    const CommandRun result = run("rowing convert " + bad.string() + " " + good.string());
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.err, "rowing convert: " + bad.string() +
                              ": line 2: not a TCX file: the root element is "
                              "TrainingCenterDatabase without a namespace\n");
    EXPECT_FALSE(std::filesystem::exists(m_dir / "broken.fit"));
    EXPECT_TRUE(std::filesystem::exists(m_dir / "other_app.fit"));
}

TEST_F(RowingConvert, RefusesToWriteThroughASymlink)
{
    const auto input = copy_of("other_app.tcx");
    const auto elsewhere = write("elsewhere.fit", "keep");
    std::filesystem::create_symlink(elsewhere, m_dir / "other_app.fit");
    const CommandRun result = run("rowing convert " + input.string());
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(testing_support::read_file(elsewhere), "keep");
}

TEST_F(RowingConvert, UploadFollowsTheGarminSettings)
{
    const auto input = copy_of("other_app.tcx");
    const std::string users =
        "[[users]]\nname = \"adam\"\nsex = \"male\"\nheight_cm = 172\nbirth_date = 1984-04-02\n"
        "garmin_email = \"a@x\"\nmin_weight_kg = 50\nmax_weight_kg = 90\n";
    const std::string general = "[general]\nstate_directory = \"" + (m_dir / "state").string() + "\"\n";
    const auto off = write("off.toml", general + "[garmin]\nenabled = false\n" + users);
    const CommandRun refused = run("rowing convert " + input.string() + " --upload --config " + off.string());
    EXPECT_EQ(refused.exit_code, 3) << refused.err;
    EXPECT_NE(refused.err.find("Garmin upload is off"), std::string::npos) << refused.err;

    const auto dry = write("dry.toml", general + "[garmin]\nenabled = true\ndry_run = true\n" + users);
    const CommandRun written = run("rowing convert " + input.string() + " --upload --config " + dry.string());
    EXPECT_EQ(written.exit_code, 0) << written.err;
    EXPECT_NE(written.out.find("nothing is uploaded"), std::string::npos) << written.out;
    EXPECT_TRUE(std::filesystem::exists(m_dir / "other_app.fit"));

    const CommandRun no_user =
        run("rowing convert " + input.string() + " --upload --user eve --config " + dry.string());
    EXPECT_EQ(no_user.exit_code, 3);
    EXPECT_NE(no_user.err.find("no user eve"), std::string::npos) << no_user.err;
}

}  // namespace
}  // namespace ble2garmin::cli
