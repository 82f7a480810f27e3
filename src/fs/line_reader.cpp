#include "fs/line_reader.hpp"

#include <cerrno>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/atomic_file.hpp"

namespace ble2garmin::fs {
namespace {
constexpr std::size_t k_read_chunk = 64 * 1024;
}  // namespace

Result<LineReader> LineReader::open(const std::filesystem::path& path)
{
    LineReader reader;
    reader.m_path = path;
    reader.m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (reader.m_fd < 0) {
        if (errno == ENOENT) {
            reader.m_end = true;
            return reader;
        }
        if (errno == ELOOP) {
            return check_regular_or_missing(path).error();
        }
        return file_error("open", path, errno);
    }
    struct stat status {};
    if (::fstat(reader.m_fd, &status) != 0 || !S_ISREG(status.st_mode)) {
        return make_error(path.string() + " is not a regular file: refused");
    }
    return reader;
}

LineReader LineReader::from_text(std::string text)
{
    LineReader reader;
    reader.m_buffer = std::move(text);
    reader.m_from_text = true;
    reader.m_end = true;
    return reader;
}

LineReader::LineReader(LineReader&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_fd(std::exchange(other.m_fd, -1)),
      m_from_text(other.m_from_text),
      m_end(other.m_end),
      m_buffer(std::move(other.m_buffer)),
      m_position(other.m_position),
      m_line_number(other.m_line_number),
      m_error(std::move(other.m_error))
{
}

LineReader::~LineReader()
{
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

bool LineReader::fill()
{
    if (m_end) {
        return false;
    }
    m_buffer.erase(0, m_position);
    m_position = 0;
    const std::size_t old_size = m_buffer.size();
    m_buffer.resize(old_size + k_read_chunk);
    ssize_t count = 0;
    do {
        count = ::read(m_fd, m_buffer.data() + old_size, k_read_chunk);
    } while (count < 0 && errno == EINTR);
    if (count < 0) {
        m_error = file_error("read", m_path, errno);
        count = 0;
    }
    m_buffer.resize(old_size + static_cast<std::size_t>(count));
    if (count == 0) {
        m_end = true;
        return false;
    }
    return true;
}

bool LineReader::next(Line& line)
{
    while (true) {
        const std::size_t end = m_buffer.find_first_of("\r\n", m_position);
        if (end != std::string::npos) {
            // A '\r' as the last byte of the buffer may be the first half of "\r\n".
            if (m_buffer[end] == '\r' && end + 1 == m_buffer.size() && !m_end) {
                (void)fill();  // moves the buffer: search again (at the end of the file m_end is set now)
                continue;
            }
            if (m_error) {
                return false;
            }
            line.text.assign(m_buffer, m_position, end - m_position);
            if (m_buffer[end] == '\n') {
                line.ending = "\n";
            } else if (end + 1 < m_buffer.size() && m_buffer[end + 1] == '\n') {
                line.ending = "\r\n";
            } else {
                line.ending = "\r";
            }
            m_position = end + line.ending.size();
            line.number = ++m_line_number;
            return true;
        }
        if (!m_end && fill()) {
            continue;
        }
        if (m_error || m_position >= m_buffer.size()) {
            return false;
        }
        line.text.assign(m_buffer, m_position);
        line.ending = "";
        m_position = m_buffer.size();
        line.number = ++m_line_number;
        return true;
    }
}

std::string_view line_ending_or_default(std::string_view ending)
{
    return ending.empty() ? std::string_view("\n") : ending;
}

}  // namespace ble2garmin::fs
