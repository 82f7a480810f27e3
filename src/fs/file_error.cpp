#include "fs/file_error.hpp"

#include <cerrno>
#include <system_error>

#include <sys/stat.h>

namespace ble2garmin::fs {

Error file_error(const std::string& what, const std::filesystem::path& path, int error_number)
{
    if (error_number == ELOOP) {
        if (auto regular = check_regular_or_missing(path); !regular) {
            return regular.error();
        }
    }
    return make_error("cannot " + what + " " + path.string() + ": " +
                      std::generic_category().message(error_number));
}

Result<void> check_regular_or_missing(const std::filesystem::path& path)
{
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0) {
        return errno == ENOENT ? Result<void>() : file_error("inspect", path, errno);
    }
    if (S_ISLNK(status.st_mode)) {
        return make_error(path.string() +
                          " is a symbolic link: refused, state files are never followed through links "
                          "(replace it by the file itself)");
    }
    if (!S_ISREG(status.st_mode)) {
        return make_error(path.string() + " is not a regular file: refused");
    }
    return {};
}

}  // namespace ble2garmin::fs
