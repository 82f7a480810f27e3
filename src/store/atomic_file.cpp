#include "store/atomic_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <system_error>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/logging.hpp"

namespace ble2garmin::store {

namespace {
constexpr mode_t k_new_file_mode = 0644;
constexpr std::string_view k_temp_marker = ".tmp-";
constexpr std::string_view k_temp_pattern = "XXXXXX";

Error system_error(const std::string& what, const std::filesystem::path& path, int error_number)
{
    return make_error(what + " " + path.string() + ": " + std::generic_category().message(error_number));
}

}  // namespace

std::string atomic_temp_prefix(const std::filesystem::path& target)
{
    return "." + target.filename().string() + std::string(k_temp_marker);
}

Result<void> replace_file_atomically(const std::filesystem::path& target, std::string_view text,
                                     const AtomicWriteOptions& options, FileSync& sync)
{
    const std::filesystem::path directory =
        target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    const std::string name =
        (directory / (atomic_temp_prefix(target) + std::string(k_temp_pattern))).string();
    std::vector<char> name_buffer(name.begin(), name.end());
    name_buffer.push_back('\0');
    int fd = ::mkostemp(name_buffer.data(), O_CLOEXEC);
    if (fd < 0) {
        return system_error("cannot create a temp file in", directory, errno);
    }
    const std::filesystem::path temp(name_buffer.data());
    const auto fail = [&](Error error) -> Error {
        if (fd >= 0) {
            ::close(fd);
        }
        ::unlink(temp.c_str());
        return error;
    };

    mode_t mode = k_new_file_mode;
    struct stat original {};
    const bool has_original = ::lstat(target.c_str(), &original) == 0 && S_ISREG(original.st_mode);
    if (options.mode) {
        mode = *options.mode;
    } else if (has_original) {
        mode = original.st_mode & 07777;
        // Owner first, as chown may clear set-id bits. Only root may give a file away; for anyone
        // else the owner is already the same or this fails harmlessly.
        if (original.st_uid != ::geteuid() || original.st_gid != ::getegid()) {
            if (::fchown(fd, original.st_uid, original.st_gid) != 0) {
                logging::get("store")->debug("cannot keep the owner path={}", target.string());
            }
        }
    }
    if (::fchmod(fd, mode) != 0) {
        return fail(system_error("cannot set the mode of", temp, errno));
    }
    if (!write_all(fd, text)) {
        return fail(system_error("cannot write", temp, errno));
    }
    if (auto synced = sync.sync_file(fd, temp); !synced) {
        return fail(synced.error());
    }
    if (::close(std::exchange(fd, -1)) != 0) {
        return fail(system_error("cannot close", temp, errno));
    }
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        return fail(system_error("cannot rename a temp file over", target, errno));
    }
    if (auto synced = sync.sync_directory(directory); !synced) {
        logging::get("store")->warn("rewrite may not survive a power loss path={} error={}", target.string(),
                                    synced.error().message);
    }
    return {};
}

bool write_all(int fd, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t written = ::write(fd, data.data(), data.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        if (written == 0) {
            errno = EIO;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

}  // namespace ble2garmin::store
