#include "garmin/auth/token_store.hpp"

#include <cerrno>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/atomic_file.hpp"
#include "fs/small_file.hpp"

namespace ble2garmin::garmin {
namespace {

constexpr std::size_t k_max_token_file_size = 1 << 20;

// mkdir with `fs::k_private_directory_mode`; true when it was created, false when it existed.
Result<bool> make_directory(const std::filesystem::path& path)
{
    if (::mkdir(path.c_str(), fs::k_private_directory_mode) == 0) {
        return true;
    }
    if (errno != EEXIST) {
        return fs::file_error("create the token folder", path, errno);
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        return make_error("cannot use " + path.string() + " as a token folder: not a directory");
    }
    return false;
}

}  // namespace

TokenStore::TokenStore(std::filesystem::path directory) : m_directory(std::move(directory)) {}

Result<std::filesystem::path> TokenStore::account_directory(const std::filesystem::path& token_dir,
                                                            std::string_view email)
{
    if (email.empty() || email.find('/') != std::string_view::npos ||
        email.find('\0') != std::string_view::npos || email.front() == '.' ||
        email.find('@') == std::string_view::npos) {
        return make_error("'" + std::string(email) +
                          "' is not an e-mail address usable as a token folder name");
    }
    return token_dir / std::string(email);
}

Result<std::optional<std::string>> read_small_file(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) {
            return std::optional<std::string>();
        }
        return fs::file_error("open", path, errno);
    }
    auto content = fs::read_to_end(fd, k_max_token_file_size);
    ::close(fd);
    if (!content) {
        return make_error("cannot read " + path.string() + ": " + content.error().message);
    }
    return std::optional<std::string>(std::move(*content));
}

Result<StoredTokens> TokenStore::load() const
{
    StoredTokens stored;
    const auto with_name = [](const std::filesystem::path& path, const Error& error) {
        return make_error(path.string() + ": " + error.message);
    };
    const auto di_path = m_directory / k_di_token_file;
    auto di_text = read_small_file(di_path);
    if (!di_text) {
        return di_text.error();
    }
    if (*di_text) {
        auto tokens = di_tokens_from_json(**di_text);
        if (!tokens) {
            return with_name(di_path, tokens.error());
        }
        stored.di = std::move(*tokens);
    }
    const auto oauth1_path = m_directory / k_oauth1_token_file;
    auto oauth1_text = read_small_file(oauth1_path);
    if (!oauth1_text) {
        return oauth1_text.error();
    }
    if (*oauth1_text) {
        auto oauth1 = oauth1_from_json(**oauth1_text);
        if (!oauth1) {
            return with_name(oauth1_path, oauth1.error());
        }
        LegacyTokens legacy{std::move(*oauth1), std::nullopt};
        const auto oauth2_path = m_directory / k_oauth2_token_file;
        auto oauth2_text = read_small_file(oauth2_path);
        if (!oauth2_text) {
            return oauth2_text.error();
        }
        if (*oauth2_text) {
            auto oauth2 = oauth2_from_json(**oauth2_text);
            if (!oauth2) {
                return with_name(oauth2_path, oauth2.error());
            }
            legacy.oauth2 = std::move(*oauth2);
        }
        stored.legacy = std::move(legacy);
    }
    return stored;
}

Result<void> TokenStore::ensure_directory() const
{
    if (m_directory.has_parent_path() && !m_directory.parent_path().empty()) {
        std::error_code error;
        const auto parent = m_directory.parent_path();
        if (!std::filesystem::exists(parent, error)) {
            // The grandparents (the state directory) are not ours: normal modes.
            if (parent.has_parent_path()) {
                std::filesystem::create_directories(parent.parent_path(), error);
            }
            if (auto made = make_directory(parent); !made) {
                return made.error();
            }
        }
    }
    auto made = make_directory(m_directory);
    if (!made) {
        return made.error();
    }
    if (!*made && ::chmod(m_directory.c_str(), fs::k_private_directory_mode) != 0) {
        return fs::file_error("set mode 0700 on", m_directory, errno);
    }
    return {};
}

TokenStore::Lock::~Lock()
{
    if (m_fd >= 0) {
        ::close(m_fd);  // releases the flock
    }
}

Result<TokenStore::Lock> TokenStore::lock() const
{
    if (auto ready = ensure_directory(); !ready) {
        return ready.error();
    }
    const auto path = m_directory / ".lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, fs::k_private_file_mode);
    if (fd < 0) {
        return fs::file_error("open the lock file", path, errno);
    }
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            const int error = errno;
            ::close(fd);
            return fs::file_error("lock", path, error);
        }
    }
    return Lock(fd);
}

Result<void> TokenStore::write(std::string_view name, std::string_view text) const
{
    if (auto ready = ensure_directory(); !ready) {
        return ready;
    }
    const auto path = m_directory / std::string(name);
    struct stat info {};
    if (::lstat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
        return make_error("refusing to replace " + path.string() + ": not a regular file (a symlink?)");
    }
    return fs::replace_file_atomically(path, text, fs::AtomicWriteOptions{fs::k_private_file_mode});
}

Result<void> TokenStore::save_di(const DiTokens& tokens) const
{
    return write(k_di_token_file, di_tokens_to_json(tokens));
}

Result<void> TokenStore::save_oauth1(const OAuth1Token& token) const
{
    return write(k_oauth1_token_file, oauth1_to_json(token));
}

Result<void> TokenStore::save_oauth2(const OAuth2Token& token) const
{
    return write(k_oauth2_token_file, oauth2_to_json(token));
}

}  // namespace ble2garmin::garmin
