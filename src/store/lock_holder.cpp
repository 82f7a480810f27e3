#include "store/lock_holder.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "store/state_lock.hpp"

namespace ble2garmin::store {
namespace {

template <typename Number>
bool parse_number(std::string_view text, Number& value, int base)
{
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    return error == std::errc{} && end == text.data() + text.size();
}

// "812 run\n" → {812, "run"}.
std::optional<LockHolder> read_holder(int fd)
{
    char buffer[128] = {};
    const ssize_t count = ::pread(fd, buffer, sizeof buffer - 1, 0);
    const std::string_view text(buffer, count > 0 ? static_cast<std::size_t>(count) : 0);
    const auto space = text.find(' ');
    LockHolder holder;
    if (space == std::string_view::npos || !parse_number(text.substr(0, space), holder.pid, 10)) {
        return holder;  // held, by a process that has not written its name yet
    }
    const auto rest = text.substr(space + 1);
    holder.command = std::string(rest.substr(0, rest.find('\n')));
    return holder;
}

}  // namespace

bool is_exclusive_flock_on(std::string_view line, unsigned long long device, unsigned long long inode)
{
    std::istringstream words{std::string(line)};
    std::string ordinal;
    std::string kind;
    std::string advisory;
    std::string mode;
    std::string pid;
    std::string file;
    if (!(words >> ordinal)) {
        return false;
    }
    if (ordinal == "->") {  // a waiter, not a holder
        return false;
    }
    if (!(words >> kind >> advisory >> mode >> pid >> file) || kind != "FLOCK" || mode != "WRITE") {
        return false;
    }
    // major:minor:inode, the device numbers in hex.
    const auto first = file.find(':');
    const auto second = file.find(':', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos) {
        return false;
    }
    unsigned int major = 0;
    unsigned int minor = 0;
    unsigned long long file_inode = 0;
    const std::string_view view(file);
    if (!parse_number(view.substr(0, first), major, 16) ||
        !parse_number(view.substr(first + 1, second - first - 1), minor, 16) ||
        !parse_number(view.substr(second + 1), file_inode, 10)) {
        return false;
    }
    return makedev(major, minor) == device && file_inode == inode;
}

std::optional<LockHolder> find_lock_holder(const std::filesystem::path& state_directory,
                                           const std::filesystem::path& proc_locks)
{
    const auto path = state_directory / k_lock_file;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return std::nullopt;
    }
    struct stat file_status {};
    std::optional<LockHolder> holder;
    if (::fstat(fd, &file_status) == 0) {
        std::ifstream locks(proc_locks);
        if (locks) {
            for (std::string line; std::getline(locks, line);) {
                if (is_exclusive_flock_on(line, file_status.st_dev, file_status.st_ino)) {
                    holder = read_holder(fd);
                    break;
                }
            }
        } else if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
            holder = read_holder(fd);
        } else {
            ::flock(fd, LOCK_UN);
        }
    }
    ::close(fd);
    return holder;
}

}  // namespace ble2garmin::store
