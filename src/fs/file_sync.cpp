#include "fs/file_sync.hpp"

#include <cerrno>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "fs/file_error.hpp"

namespace ble2garmin::fs {

namespace {
class SystemFileSync final : public FileSync {
public:
    Result<void> sync_file(int fd, const std::filesystem::path& path) override
    {
        if (::fsync(fd) != 0) {
            return file_error("fsync", path, errno);
        }
        return {};
    }

    Result<void> sync_directory(const std::filesystem::path& directory) override
    {
        const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            return file_error("open directory", directory, errno);
        }
        Result<void> result;
        if (::fsync(fd) != 0) {
            result = file_error("fsync directory", directory, errno);
        }
        ::close(fd);
        return result;
    }
};
}  // namespace

FileSync& system_file_sync()
{
    static SystemFileSync sync;
    return sync;
}

}  // namespace ble2garmin::fs
