// The real binary with the S400: `decode s400 … --json` on the spec's vectors, and check-config,
// which must never print the bindkey.

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "cli_test_support.hpp"

namespace ble2garmin::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_mac = "8C:D0:B2:F6:BE:EF";
constexpr const char* k_key = "0728974d657a4b60964c1b1677f35f7c";
constexpr const char* k_v1 = "4859d53b0abc078ff2348c844138e930220000009e538599";

using testing_support::CommandRun;

class S400Cli : public testing_support::CliTest {};

TEST_F(S400Cli, DecodeJson)
{
    const CommandRun result =
        run(std::string("decode s400 ") + k_v1 + " --mac " + k_mac + " --bindkey " + k_key + " --json");
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out,
              "{\"profile_id\":1,\"weight_kg\":69.9,\"heart_rate_bpm\":92,\"impedance_ohm\":543.2,"
              "\"impedance_high_ohm\":null,\"packet\":\"weight\"}\n");
}

TEST_F(S400Cli, DecodeWithTheWrongKeyExits1WithAReason)
{
    const std::string wrong = "02d2900363ef629c736a4549677acbee";
    const CommandRun result =
        run(std::string("decode s400 ") + k_v1 + " --mac " + k_mac + " --bindkey " + wrong);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out, "");
    EXPECT_NE(result.err.find("decode: S400 frame failed authentication"), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find(wrong), std::string::npos) << result.err;
}

TEST_F(S400Cli, DecodeWithoutAKeyExits1)
{
    const CommandRun result = run(std::string("decode s400 ") + k_v1 + " --mac " + k_mac);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("needs 'bindkey'"), std::string::npos) << result.err;
}

TEST_F(S400Cli, CheckConfigNeverPrintsTheBindkey)
{
    const fs::path path = m_dir / "s400.toml";
    std::ofstream(path)
        << "[[users]]\nname = \"anna\"\nsex = \"female\"\nheight_cm = 168\n"
           "birth_date = 1984-04-02\nmin_weight_kg = 50\nmax_weight_kg = 65\ns400_profile_id = 1\n"
           "[devices.s400]\nmac = \"8c:d0:b2:f6:be:ef\"\nbindkey = \""
        << k_key << "\"\nsession_grace_seconds = 15\n";
    const CommandRun result = run("check-config --config " + path.string());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out.find(k_key), std::string::npos) << result.out;
    EXPECT_EQ(result.err.find(k_key), std::string::npos) << result.err;
    EXPECT_NE(result.out.find("# bindkey is set but not shown"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("session_grace_seconds = 15"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("s400_profile_id = 1"), std::string::npos) << result.out;

    // A wrong key is reported without being repeated.
    const std::string bad_key = std::string(k_key).substr(0, 30) + "zz";
    std::ofstream(path) << "[devices.s400]\nmac = \"8c:d0:b2:f6:be:ef\"\nbindkey = \"" << bad_key << "\"\n";
    const CommandRun bad = run("check-config --config " + path.string());
    EXPECT_EQ(bad.exit_code, 3);
    EXPECT_NE(
        bad.err.find(path.string() + ":3:11: 'devices.s400.bindkey' must hold exactly 32 hexadecimal digits"),
        std::string::npos)
        << bad.err;
    EXPECT_EQ(bad.err.find(bad_key), std::string::npos) << bad.err;
    EXPECT_EQ(bad.out.find(bad_key), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace ble2garmin::cli
