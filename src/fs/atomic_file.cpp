#include "fs/atomic_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <system_error>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/logging.hpp"

namespace ble2garmin::fs {

namespace {
constexpr std::string_view k_temp_marker = ".tmp-";
constexpr std::string_view k_temp_pattern = "XXXXXX";
// Writes go to the kernel in pieces of this size: a rewrite streams, its memory stays flat.
constexpr std::size_t k_write_chunk = 64 * 1024;

std::filesystem::path directory_of(const std::filesystem::path& path)
{
    return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}

}  // namespace

std::string atomic_temp_prefix(const std::filesystem::path& target)
{
    return "." + target.filename().string() + std::string(k_temp_marker);
}

Result<AtomicFileWriter> AtomicFileWriter::begin(const std::filesystem::path& target,
                                                 const AtomicWriteOptions& options, FileSync& sync)
{
    if (auto regular = check_regular_or_missing(target); !regular) {
        return regular.error();
    }
    const std::filesystem::path directory = directory_of(target);
    const std::string name =
        (directory / (atomic_temp_prefix(target) + std::string(k_temp_pattern))).string();
    std::vector<char> name_buffer(name.begin(), name.end());
    name_buffer.push_back('\0');
    const int fd = ::mkostemp(name_buffer.data(), O_CLOEXEC);
    if (fd < 0) {
        return file_error("create a temp file in", directory, errno);
    }
    AtomicFileWriter writer(target, std::filesystem::path(name_buffer.data()), fd, sync);

    mode_t mode = k_private_file_mode;
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
        return file_error("set the mode of", writer.m_temp, errno);
    }
    return writer;
}

AtomicFileWriter::AtomicFileWriter(std::filesystem::path target, std::filesystem::path temp, int fd,
                                   FileSync& sync)
    : m_target(std::move(target)), m_temp(std::move(temp)), m_fd(fd), m_sync(&sync)
{
}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : m_target(std::move(other.m_target)),
      m_temp(std::move(other.m_temp)),
      m_fd(std::exchange(other.m_fd, -1)),
      m_sync(other.m_sync),
      m_buffer(std::move(other.m_buffer))
{
}

AtomicFileWriter::~AtomicFileWriter()
{
    discard();
}

void AtomicFileWriter::discard()
{
    if (m_fd >= 0) {
        ::close(std::exchange(m_fd, -1));
        ::unlink(m_temp.c_str());
    }
}

Result<void> AtomicFileWriter::flush()
{
    if (!write_all(m_fd, m_buffer)) {
        return file_error("write", m_temp, errno);
    }
    m_buffer.clear();
    return {};
}

Result<void> AtomicFileWriter::write(std::string_view text)
{
    if (m_fd < 0) {
        return make_error("the temp file of " + m_target.string() + " is closed");
    }
    m_buffer.append(text);
    return m_buffer.size() >= k_write_chunk ? flush() : Result<void>();
}

Result<void> AtomicFileWriter::commit()
{
    if (m_fd < 0) {
        return make_error("the temp file of " + m_target.string() + " is closed");
    }
    const auto fail = [&](Error error) -> Error {
        discard();
        return error;
    };
    if (auto flushed = flush(); !flushed) {
        return fail(flushed.error());
    }
    if (auto synced = m_sync->sync_file(m_fd, m_temp); !synced) {
        return fail(synced.error());
    }
    if (::close(std::exchange(m_fd, -1)) != 0) {
        const int error_number = errno;
        ::unlink(m_temp.c_str());
        return file_error("close", m_temp, error_number);
    }
    if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
        const int error_number = errno;
        ::unlink(m_temp.c_str());
        return file_error("rename a temp file over", m_target, error_number);
    }
    if (auto synced = m_sync->sync_directory(directory_of(m_target)); !synced) {
        logging::get("store")->warn("rewrite may not survive a power loss path={} error={}",
                                    m_target.string(), synced.error().message);
    }
    return {};
}

Result<void> replace_file_atomically(const std::filesystem::path& target, std::string_view text,
                                     const AtomicWriteOptions& options, FileSync& sync)
{
    auto writer = AtomicFileWriter::begin(target, options, sync);
    if (!writer) {
        return writer.error();
    }
    if (auto written = writer->write(text); !written) {
        return written.error();
    }
    return writer->commit();
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

}  // namespace ble2garmin::fs
