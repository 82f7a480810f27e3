#include "store/state_lock.hpp"

#include <cerrno>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/atomic_file.hpp"

namespace ble2garmin::store {
namespace {

constexpr std::string_view k_daemon_marker = "ble2garmin run (pid";

// "812 run" → "ble2garmin run (pid 812)"; "a process" when the file says nothing readable.
std::string describe_holder(int fd)
{
    char buffer[128] = {};
    const ssize_t count = ::pread(fd, buffer, sizeof buffer - 1, 0);
    const std::string_view text(buffer, count > 0 ? static_cast<std::size_t>(count) : 0);
    const auto space = text.find(' ');
    if (space == std::string_view::npos || space == 0) {
        return "another ble2garmin process";
    }
    std::string_view command = text.substr(space + 1);
    command = command.substr(0, command.find('\n'));
    return "ble2garmin " + std::string(command) + " (pid " + std::string(text.substr(0, space)) + ")";
}

}  // namespace

Result<void> create_state_directory(const std::filesystem::path& directory)
{
    std::error_code error;
    if (std::filesystem::is_directory(directory, error)) {
        return {};
    }
    if (directory.has_parent_path()) {
        std::filesystem::create_directories(directory.parent_path(), error);
    }
    if (::mkdir(directory.c_str(), fs::k_private_directory_mode) != 0 && errno != EEXIST) {
        return fs::file_error("create the state directory", directory, errno);
    }
    return {};
}

Result<StateLock> StateLock::acquire(const std::filesystem::path& state_directory, std::string_view command)
{
    if (auto created = create_state_directory(state_directory); !created) {
        return created.error();
    }
    const auto path = state_directory / k_lock_file;
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, fs::k_private_file_mode);
    if (fd < 0) {
        if (errno == ELOOP) {
            return fs::check_regular_or_missing(path).error();
        }
        return fs::file_error("open the lock file", path, errno);
    }
    StateLock lock(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            return make_error(describe_holder(fd) + " is using " + state_directory.string());
        }
        return fs::file_error("lock", path, errno);
    }
    const std::string holder = std::to_string(::getpid()) + " " + std::string(command) + "\n";
    if (::ftruncate(fd, 0) != 0 || !fs::write_all(fd, holder)) {
        return fs::file_error("write", path, errno);
    }
    return lock;
}

StateLock::StateLock(StateLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

StateLock::~StateLock()
{
    if (m_fd >= 0) {
        ::close(m_fd);  // releases the lock
    }
}

bool StateLock::held_by_daemon(const Error& refusal)
{
    return refusal.message.starts_with(k_daemon_marker);
}

}  // namespace ble2garmin::store
