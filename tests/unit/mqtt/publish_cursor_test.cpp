// mqtt_published.json: written 0600 and read back; a missing file is "none yet"; a symbolic link or a
// foreign file is refused.

#include "mqtt/publish_cursor.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/unit/temp_dir.hpp"

namespace ble2garmin::mqtt {
namespace {

using testing_support::TempDir;

TEST(PublishCursor, RoundTripPrivate)
{
    TempDir dir;
    const auto path = dir / k_cursor_file;
    auto none = read_publish_cursor(path);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    PublishCursor cursor{{412, 1764745200}, {37, 1764700000}, {"adam", "eve"}};
    ASSERT_TRUE(write_publish_cursor(path, cursor).ok());
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600U);
    auto read = read_publish_cursor(path);
    ASSERT_TRUE(read.ok()) << read.error().message;
    ASSERT_TRUE(read->has_value());
    EXPECT_EQ(**read, cursor);
}

TEST(PublishCursor, RefusesLinksAndForeignFiles)
{
    TempDir dir;
    const auto target = dir / "elsewhere.json";
    std::ofstream(target) << R"({"scale":{"rows":1,"last":2},"blood_pressure":{"rows":0,"last":0}})";
    std::filesystem::create_symlink(target, dir / k_cursor_file);
    EXPECT_FALSE(read_publish_cursor(dir / k_cursor_file).ok());
    EXPECT_FALSE(write_publish_cursor(dir / k_cursor_file, PublishCursor{}).ok());
    for (const char* text :
         {"", "[]", R"({"scale":{"rows":-1,"last":2},"blood_pressure":{"rows":0,"last":0}})",
          R"({"scale":{"rows":1,"last":2}})",
          R"({"scale":{"rows":1,"last":2},"blood_pressure":{"rows":0,"last":0},"announced":[1]})"}) {
        const auto path = dir / "foreign.json";
        std::ofstream(path, std::ios::trunc) << text;
        EXPECT_FALSE(read_publish_cursor(path).ok()) << text;
    }
}

}  // namespace
}  // namespace ble2garmin::mqtt
