#include "garmin/auth/token_store.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "garmin/auth/token_import.hpp"
#include "garmin_test_support.hpp"

namespace ble2garmin::garmin {
namespace {

using testing_support::make_jwt;
using testing_support::TempDir;

mode_t mode_of(const std::filesystem::path& path)
{
    struct stat info {};
    EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
    return info.st_mode & 07777;
}

void write_text(const std::filesystem::path& path, const std::string& text)
{
    std::ofstream(path) << text;
}

TEST(GarminTokenStore, AccountDirectoryIsTheEmail)
{
    EXPECT_EQ(*TokenStore::account_directory("/var/lib/ble2garmin/garmin", "a@b.c"),
              std::filesystem::path("/var/lib/ble2garmin/garmin/a@b.c"));
    EXPECT_FALSE(TokenStore::account_directory("/t", "../x@y").ok());
    EXPECT_FALSE(TokenStore::account_directory("/t", "a/b@c").ok());
    EXPECT_FALSE(TokenStore::account_directory("/t", "").ok());
    EXPECT_FALSE(TokenStore::account_directory("/t", "nobody").ok());
}

TEST(GarminTokenStore, SavesWithPrivateModesAndReadsBack)
{
    TempDir dir;
    const TokenStore store(dir.path() / "garmin" / "ok@x");
    const DiTokens tokens{make_jwt("ID", 4000), "DIRT.1", "ID", 4000, 9000};
    ASSERT_TRUE(store.save_di(tokens).ok());
    EXPECT_EQ(mode_of(dir.path() / "garmin"), 0700U);
    EXPECT_EQ(mode_of(store.directory()), 0700U);
    EXPECT_EQ(mode_of(store.directory() / "garmin_tokens.json"), 0600U);
    const auto loaded = store.load();
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_TRUE(loaded->di);
    EXPECT_EQ(loaded->di->refresh_token, "DIRT.1");
    EXPECT_EQ(loaded->di->refresh_expires_at, 9000);
    EXPECT_FALSE(loaded->legacy);
    // No temp file is left behind.
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(store.directory())) {
        ++files;
    }
    EXPECT_EQ(files, 1U);
}

TEST(GarminTokenStore, TightensAnExistingFolderAndFile)
{
    TempDir dir;
    const auto account = dir.path() / "ok@x";
    std::filesystem::create_directories(account);
    ::chmod(account.c_str(), 0755);
    write_text(account / "garmin_tokens.json", "{}");
    ::chmod((account / "garmin_tokens.json").c_str(), 0644);
    const TokenStore store(account);
    ASSERT_TRUE(store.save_di({"a", "r", "ID", 1, std::nullopt}).ok());
    EXPECT_EQ(mode_of(account), 0700U);
    EXPECT_EQ(mode_of(account / "garmin_tokens.json"), 0600U);
}

TEST(GarminTokenStore, RefusesASymlinkedTokenFile)
{
    TempDir dir;
    const auto account = dir.path() / "ok@x";
    std::filesystem::create_directories(account);
    write_text(dir.path() / "elsewhere.json", "{}");
    std::filesystem::create_symlink(dir.path() / "elsewhere.json", account / "garmin_tokens.json");
    const TokenStore store(account);
    EXPECT_FALSE(store.save_di({"a", "r", "ID", 1, std::nullopt}).ok());
    EXPECT_FALSE(store.load().ok());
}

TEST(GarminTokenStore, EmptyFolderHasNoTokens)
{
    TempDir dir;
    const auto loaded = TokenStore(dir.path() / "none@x").load();
    ASSERT_TRUE(loaded.ok());
    EXPECT_TRUE(loaded->empty());
}

TEST(GarminTokenStore, ImportsAGarthFolder)
{
    TempDir dir;
    const auto source = dir.path() / "export2garmin";
    std::filesystem::create_directories(source);
    write_text(source / "oauth1_token.json",
               oauth1_to_json({"t1", "s1", std::nullopt, std::nullopt, "garmin.com"}));
    OAuth2Token oauth2;
    oauth2.access_token = "a2";
    oauth2.expires_at = 77;
    write_text(source / "oauth2_token.json", oauth2_to_json(oauth2));
    const TokenStore store(dir.path() / "tokens" / "me@x");
    auto kind = import_tokens(source, store);
    ASSERT_TRUE(kind.ok()) << kind.error().message;
    EXPECT_EQ(*kind, "legacy garth");
    EXPECT_EQ(mode_of(store.directory() / "oauth1_token.json"), 0600U);
    EXPECT_EQ(mode_of(store.directory() / "oauth2_token.json"), 0600U);
    const auto loaded = store.load();
    ASSERT_TRUE(loaded.ok());
    ASSERT_TRUE(loaded->legacy);
    EXPECT_EQ(loaded->legacy->oauth1.oauth_token, "t1");
    ASSERT_TRUE(loaded->legacy->oauth2);
    EXPECT_EQ(loaded->legacy->oauth2->expires_at, 77);
}

TEST(GarminTokenStore, ImportsAGarminconnectFileOrFolder)
{
    TempDir dir;
    const auto source = dir.path() / "user" / "me@x";
    std::filesystem::create_directories(source);
    write_text(source / "garmin_tokens.json", R"({"di_token": ")" + make_jwt("ID", 55) +
                                                  R"(", "di_refresh_token": "r", "di_client_id": "ID"})");
    const TokenStore store(dir.path() / "tokens" / "me@x");
    EXPECT_EQ(*import_tokens(source, store), "DI OAuth2");
    EXPECT_EQ(*import_tokens(source / "garmin_tokens.json", store), "DI OAuth2");
    EXPECT_EQ(store.load()->di->expires_at, 55);
    EXPECT_FALSE(import_tokens(dir.path(), store).ok());
}

}  // namespace
}  // namespace ble2garmin::garmin
