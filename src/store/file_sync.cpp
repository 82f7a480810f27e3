#include "store/file_sync.hpp"

#include <cerrno>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace ble2garmin::store {

namespace {
Error system_error(const std::string& what, const std::filesystem::path& path)
{
    return make_error(what + " " + path.string() + ": " + std::generic_category().message(errno));
}

class SystemFileSync final : public FileSync {
public:
    Result<void> sync_file(int fd, const std::filesystem::path& path) override
    {
        if (::fsync(fd) != 0) {
            return system_error("cannot fsync", path);
        }
        return {};
    }

    Result<void> sync_directory(const std::filesystem::path& directory) override
    {
        const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            return system_error("cannot open directory", directory);
        }
        Result<void> result;
        if (::fsync(fd) != 0) {
            result = system_error("cannot fsync directory", directory);
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

}  // namespace ble2garmin::store
