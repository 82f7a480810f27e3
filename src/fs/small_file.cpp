#include "fs/small_file.hpp"

#include <cerrno>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ble2garmin::fs {
namespace {

std::string size_text(std::size_t bytes)
{
    return bytes >= (1u << 20) ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes >> 10) + " KiB";
}

Error read_error(int error_number)
{
    return make_error(std::generic_category().message(error_number));
}

}  // namespace

Result<std::string> read_to_end(int fd, std::size_t max_bytes)
{
    std::string text;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return read_error(errno);
        }
        if (n == 0) {
            return text;
        }
        if (text.size() + static_cast<std::size_t>(n) > max_bytes) {
            return make_error("it is larger than " + size_text(max_bytes) + "; is it the right file?");
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
}

Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return read_error(errno);
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        const int error_number = errno;
        ::close(fd);
        return read_error(error_number);
    }
    if (S_ISDIR(info.st_mode)) {
        ::close(fd);
        return make_error("it is a directory, not a file");
    }
    auto text = read_to_end(fd, max_bytes);
    ::close(fd);
    return text;
}

}  // namespace ble2garmin::fs
