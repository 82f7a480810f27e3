#include "fs/csv_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <system_error>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/atomic_file.hpp"
#include "fs/small_file.hpp"
#include "log/logging.hpp"

namespace ble2garmin::fs {

namespace {
constexpr std::string_view k_temp_pattern = "XXXXXX";

// Owns one file descriptor.
class UniqueFd {
public:
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    void reset(int fd)
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = fd;
    }
    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    // close(2) reports delayed write errors on some file systems, so its result counts.
    int close() { return ::close(std::exchange(m_fd, -1)); }

private:
    int m_fd;
};

std::filesystem::path directory_of(const std::filesystem::path& path)
{
    return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}

}  // namespace

CsvFile::CsvFile(std::filesystem::path path, FileSync& sync) : m_path(std::move(path)), m_sync(&sync) {}

std::string CsvFile::temp_file_prefix() const
{
    return atomic_temp_prefix(m_path);
}

Result<std::optional<std::string>> CsvFile::read() const
{
    UniqueFd fd(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid()) {
        if (errno == ENOENT) {
            return std::optional<std::string>();
        }
        return file_error("open", m_path, errno);
    }
    auto content = read_to_end(fd.get(), std::numeric_limits<std::size_t>::max());
    if (!content) {
        return make_error("cannot read " + m_path.string() + ": " + content.error().message);
    }
    return std::optional<std::string>(std::move(*content));
}

Result<AppendOutcome> CsvFile::append(std::string_view lines, std::string_view header_line,
                                      std::string_view line_end)
{
    AppendOutcome outcome;
    // O_EXCL first, to know whether this call created the file (and must fsync the directory).
    // O_NOFOLLOW: a link where a state file should be is refused, never written through.
    UniqueFd fd(::open(m_path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                       k_private_file_mode));
    if (fd.valid()) {
        outcome.created = true;
        // Health data: 0600 whatever the umask (an existing file keeps the mode its owner gave it).
        if (::fchmod(fd.get(), k_private_file_mode) != 0) {
            const int error_number = errno;
            ::unlink(m_path.c_str());
            return file_error("set the mode of", m_path, error_number);
        }
    } else if (errno == EEXIST) {
        fd.reset(::open(m_path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW));
    }
    if (!fd.valid()) {
        return file_error("open for appending", m_path, errno);
    }
    struct stat status {};
    if (::fstat(fd.get(), &status) != 0) {
        return file_error("stat", m_path, errno);
    }
    if (!S_ISREG(status.st_mode)) {
        return make_error(m_path.string() + " is not a regular file: refused");
    }
    const off_t old_size = status.st_size;

    std::string text;
    if (old_size == 0) {
        outcome.wrote_header = !header_line.empty();
        text += header_line;
    } else {
        char last = '\n';
        if (::pread(fd.get(), &last, 1, old_size - 1) != 1) {
            return file_error("read the end of", m_path, errno);
        }
        if (last != '\n' && last != '\r') {
            outcome.added_line_end = true;
            text += line_end;
        }
    }
    text += lines;

    // The caller treats an Error as "not written", so a partial write or an unsynced row is undone.
    const auto undo = [&](Error error) -> Error {
        if (::ftruncate(fd.get(), old_size) != 0) {
            logging::get("store")->error("cannot undo a failed append path={} error={}", m_path.string(),
                                         std::generic_category().message(errno));
        }
        return error;
    };
    if (!write_all(fd.get(), text)) {
        return undo(file_error("append to", m_path, errno));
    }
    if (auto synced = m_sync->sync_file(fd.get(), m_path); !synced) {
        return undo(synced.error());
    }
    // After a successful fsync the rows are on disk, so a failing close no longer makes this an Error.
    if (fd.close() != 0) {
        logging::get("store")->warn("close after append failed path={} error={}", m_path.string(),
                                    std::generic_category().message(errno));
    }
    if (outcome.created) {
        if (auto synced = m_sync->sync_directory(directory_of(m_path)); !synced) {
            logging::get("store")->warn("new file may not survive a power loss path={} error={}",
                                        m_path.string(), synced.error().message);
        }
    }
    return outcome;
}

Result<void> CsvFile::truncate_to(std::uint64_t size)
{
    UniqueFd fd(::open(m_path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid()) {
        return file_error("open for truncating", m_path, errno);
    }
    if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
        return file_error("truncate", m_path, errno);
    }
    return m_sync->sync_file(fd.get(), m_path);
}

Result<void> CsvFile::replace(std::string_view text)
{
    return replace_file_atomically(m_path, text, {}, *m_sync);
}

std::size_t CsvFile::remove_stale_temp_files() const
{
    const std::filesystem::path& target = m_path;
    const std::string prefix = atomic_temp_prefix(target);
    std::size_t removed = 0;
    std::error_code error;
    // The error_code overloads throughout: a directory we cannot list just means nothing is removed.
    std::filesystem::directory_iterator entry(directory_of(target), error);
    for (; !error && entry != std::filesystem::directory_iterator(); entry.increment(error)) {
        const std::string name = entry->path().filename().string();
        std::error_code ignored;
        if (name.size() == prefix.size() + k_temp_pattern.size() &&
            name.compare(0, prefix.size(), prefix) == 0 && entry->is_regular_file(ignored) &&
            std::filesystem::remove(entry->path(), ignored)) {
            ++removed;
        }
    }
    return removed;
}

}  // namespace ble2garmin::fs
