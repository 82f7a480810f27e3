#pragma once
// One Garmin account's token folder: <token_dir>/<e-mail address>/ (mode 0700) holding
// garmin_tokens.json (DI OAuth2, what we write) and, when imported, garth's oauth1_token.json and
// oauth2_token.json (legacy, read and kept up to date). Files are written atomically with mode 0600
// (fs/atomic_file.hpp); symlinked token files are refused. One process writes a folder at a time.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ble2garmin/result.hpp"

#include "garmin/auth/tokens.hpp"

namespace ble2garmin::garmin {

inline constexpr std::string_view k_di_token_file = "garmin_tokens.json";
inline constexpr std::string_view k_oauth1_token_file = "oauth1_token.json";
inline constexpr std::string_view k_oauth2_token_file = "oauth2_token.json";

struct LegacyTokens {
    OAuth1Token oauth1;
    std::optional<OAuth2Token> oauth2;  // absent until the first exchange
};

// What a folder holds; DI wins when both kinds are present.
struct StoredTokens {
    std::optional<DiTokens> di;
    std::optional<LegacyTokens> legacy;
    bool empty() const { return !di && !legacy; }
};

class TokenStore {
public:
    explicit TokenStore(std::filesystem::path directory);

    // The folder of `email` below `token_dir`; an Error when the address cannot be a folder name.
    static Result<std::filesystem::path> account_directory(const std::filesystem::path& token_dir,
                                                           std::string_view email);

    const std::filesystem::path& directory() const { return m_directory; }

    // The tokens in the folder (empty when it has none); an Error when a file is unreadable or
    // malformed (the message names the file, never a value).
    Result<StoredTokens> load() const;

    // Create the folder (and its parent) with mode 0700, tightening the mode of the account folder
    // when it exists; then write the file atomically with mode 0600. An Error when any step fails.
    Result<void> save_di(const DiTokens& tokens) const;
    Result<void> save_oauth1(const OAuth1Token& token) const;
    Result<void> save_oauth2(const OAuth2Token& token) const;

    Result<void> ensure_directory() const;

    // An exclusive flock(2) on "<folder>/.lock", held while the object lives: token refreshes of
    // several processes (the daemon, `tokens verify`) take turns, so a rotated refresh token is
    // never used twice. An Error when the lock file cannot be opened.
    class Lock {
    public:
        explicit Lock(int fd) : m_fd(fd) {}
        Lock(Lock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
        Lock(const Lock&) = delete;
        Lock& operator=(const Lock&) = delete;
        Lock& operator=(Lock&&) = delete;
        ~Lock();

    private:
        int m_fd;
    };
    Result<Lock> lock() const;

private:
    Result<void> write(std::string_view name, std::string_view text) const;

    std::filesystem::path m_directory;
};

// The whole content of a small file; nullopt when it does not exist; an Error otherwise.
Result<std::optional<std::string>> read_small_file(const std::filesystem::path& path);

}  // namespace ble2garmin::garmin
