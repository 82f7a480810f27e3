// LD_PRELOAD shim for the write-fault tests: makes the Nth call that persists data under one
// directory fail, as a full or failing disk would, so a test can walk every write point of a run.
//
//   FAULT_DIR    the directory watched (required; its files and the directory itself count)
//   FAULT_NTH    1-based number of the watched call that fails; unset or 0: count only
//   FAULT_ERRNO  ENOSPC (default), EIO, EDQUOT, EROFS or a number
//   FAULT_STICKY 1: every watched call from the Nth on fails (the disk stays full)
//   FAULT_LOG    file (outside FAULT_DIR) that gets one line per watched call:
//                "<n> <call> <path>[ FAILED]" — the counting mode reads it
//
// Watched calls: write, pwrite(64), writev, pwritev(64), fsync, fdatasync, sync_file_range,
// ftruncate(64), fallocate(64), posix_fallocate(64), close of a writable fd, open/openat/creat
// (and their 64 variants) with O_CREAT or O_TMPFILE, mkstemp/mkostemp(s), rename, renameat(2),
// linkat. fd-based calls find their path through /proc/self/fd. A failed call does nothing
// (close still closes, as Linux does). Writes through stdio or iostreams are not seen: glibc
// calls its own internal write there, which no preload can replace.
//
// Under an ASan build whose runtime is a shared library (g++), that library must come first in
// LD_PRELOAD; the test takes care of it. The shim is built without sanitizers.

#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

struct Settings {
    std::string dir;  // canonical, without a trailing '/'
    long nth = 0;
    int error_number = ENOSPC;
    bool sticky = false;
    int log_fd = -1;
};

std::atomic<long> g_calls{0};

template <typename Function>
Function next(const char* name)
{
    // RTLD_NEXT: the definition this shim hides (libc's, or an ASan interceptor's target).
    return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

int parse_errno(const char* text)
{
    if (text == nullptr || *text == '\0' || std::strcmp(text, "ENOSPC") == 0) {
        return ENOSPC;
    }
    if (std::strcmp(text, "EIO") == 0) {
        return EIO;
    }
    if (std::strcmp(text, "EDQUOT") == 0) {
        return EDQUOT;
    }
    if (std::strcmp(text, "EROFS") == 0) {
        return EROFS;
    }
    const int number = std::atoi(text);
    return number > 0 ? number : ENOSPC;
}

// Read once, on first use: the constructor order of preloaded libraries is not ours to choose.
const Settings& settings()
{
    static const Settings value = [] {
        Settings s;
        if (const char* dir = std::getenv("FAULT_DIR"); dir != nullptr && *dir != '\0') {
            char resolved[PATH_MAX];
            s.dir = ::realpath(dir, resolved) != nullptr ? resolved : dir;
            while (s.dir.size() > 1 && s.dir.back() == '/') {
                s.dir.pop_back();
            }
        }
        if (const char* nth = std::getenv("FAULT_NTH")) {
            s.nth = std::atol(nth);
        }
        s.error_number = parse_errno(std::getenv("FAULT_ERRNO"));
        const char* sticky = std::getenv("FAULT_STICKY");
        s.sticky = sticky != nullptr && std::strcmp(sticky, "1") == 0;
        if (const char* log = std::getenv("FAULT_LOG"); log != nullptr && *log != '\0') {
            using OpenFunction = int (*)(const char*, int, ...);
            static const auto real_open = next<OpenFunction>("open");
            s.log_fd = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        }
        return s;
    }();
    return value;
}

bool under_dir(const std::string& path)
{
    const std::string& dir = settings().dir;
    if (dir.empty() || path.compare(0, dir.size(), dir) != 0) {
        return false;
    }
    return path.size() == dir.size() || path[dir.size()] == '/' || dir == "/";
}

std::string path_of_fd(int fd)
{
    if (fd < 0) {
        return {};
    }
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[PATH_MAX];
    const ssize_t length = ::readlink(link, target, sizeof target - 1);
    return length > 0 ? std::string(target, static_cast<std::size_t>(length)) : std::string();
}

// An absolute, canonical path for a name relative to `dirfd`: the parent is resolved (the file
// itself may not exist yet), the last component kept.
std::string path_at(int dirfd, const char* name)
{
    if (name == nullptr) {
        return {};
    }
    std::string path = name;
    if (path.empty() || path[0] != '/') {
        std::string base;
        if (dirfd == AT_FDCWD) {
            char cwd[PATH_MAX];
            base = ::getcwd(cwd, sizeof cwd) != nullptr ? cwd : "";
        } else {
            base = path_of_fd(dirfd);
        }
        path = base + "/" + path;
    }
    const auto slash = path.rfind('/');
    const std::string parent = slash == 0 ? "/" : path.substr(0, slash);
    char resolved[PATH_MAX];
    if (::realpath(parent.c_str(), resolved) == nullptr) {
        return path;
    }
    const std::string canonical_parent = resolved;
    return (canonical_parent == "/" ? "" : canonical_parent) + path.substr(slash);
}

void log_line(long number, const char* call, const std::string& path, bool failed)
{
    const int fd = settings().log_fd;
    if (fd < 0) {
        return;
    }
    char line[PATH_MAX + 128];
    const int length = std::snprintf(line, sizeof line, "%ld %s %s%s\n", number, call, path.c_str(),
                                     failed ? " FAILED" : "");
    using WriteFunction = ssize_t (*)(int, const void*, size_t);
    static const auto real_write = next<WriteFunction>("write");
    if (length > 0) {
        // One write of a short line with O_APPEND: lines of concurrent processes do not mix.
        (void)real_write(fd, line, static_cast<std::size_t>(length));
    }
}

// Counts a watched call; true when this one must fail (errno is then set).
bool should_fail(const char* call, const std::string& path)
{
    if (!under_dir(path)) {
        return false;
    }
    const Settings& s = settings();
    const long number = ++g_calls;
    const bool fail = s.nth > 0 && (number == s.nth || (s.sticky && number > s.nth));
    log_line(number, call, path, fail);
    if (fail) {
        errno = s.error_number;
    }
    return fail;
}

bool fd_fails(const char* call, int fd)
{
    return !settings().dir.empty() && should_fail(call, path_of_fd(fd));
}

bool creates(int flags)
{
    return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
}

mode_t mode_argument(int flags, va_list arguments)
{
    return creates(flags) ? static_cast<mode_t>(va_arg(arguments, int)) : 0;
}

}  // namespace

extern "C" {

ssize_t write(int fd, const void* buffer, size_t count)
{
    static const auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
    return fd_fails("write", fd) ? -1 : real(fd, buffer, count);
}

ssize_t pwrite(int fd, const void* buffer, size_t count, off_t offset)
{
    static const auto real = next<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
    return fd_fails("pwrite", fd) ? -1 : real(fd, buffer, count, offset);
}

ssize_t pwrite64(int fd, const void* buffer, size_t count, off64_t offset)
{
    static const auto real = next<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
    return fd_fails("pwrite64", fd) ? -1 : real(fd, buffer, count, offset);
}

ssize_t writev(int fd, const struct iovec* vectors, int count)
{
    static const auto real = next<ssize_t (*)(int, const struct iovec*, int)>("writev");
    return fd_fails("writev", fd) ? -1 : real(fd, vectors, count);
}

ssize_t pwritev(int fd, const struct iovec* vectors, int count, off_t offset)
{
    static const auto real = next<ssize_t (*)(int, const struct iovec*, int, off_t)>("pwritev");
    return fd_fails("pwritev", fd) ? -1 : real(fd, vectors, count, offset);
}

ssize_t pwritev64(int fd, const struct iovec* vectors, int count, off64_t offset)
{
    static const auto real = next<ssize_t (*)(int, const struct iovec*, int, off64_t)>("pwritev64");
    return fd_fails("pwritev64", fd) ? -1 : real(fd, vectors, count, offset);
}

int fsync(int fd)
{
    static const auto real = next<int (*)(int)>("fsync");
    return fd_fails("fsync", fd) ? -1 : real(fd);
}

int fdatasync(int fd)
{
    static const auto real = next<int (*)(int)>("fdatasync");
    return fd_fails("fdatasync", fd) ? -1 : real(fd);
}

int sync_file_range(int fd, off64_t offset, off64_t count, unsigned int flags)
{
    static const auto real = next<int (*)(int, off64_t, off64_t, unsigned int)>("sync_file_range");
    return fd_fails("sync_file_range", fd) ? -1 : real(fd, offset, count, flags);
}

int ftruncate(int fd, off_t length)
{
    static const auto real = next<int (*)(int, off_t)>("ftruncate");
    return fd_fails("ftruncate", fd) ? -1 : real(fd, length);
}

int ftruncate64(int fd, off64_t length)
{
    static const auto real = next<int (*)(int, off64_t)>("ftruncate64");
    return fd_fails("ftruncate64", fd) ? -1 : real(fd, length);
}

int fallocate(int fd, int mode, off_t offset, off_t length)
{
    static const auto real = next<int (*)(int, int, off_t, off_t)>("fallocate");
    return fd_fails("fallocate", fd) ? -1 : real(fd, mode, offset, length);
}

int fallocate64(int fd, int mode, off64_t offset, off64_t length)
{
    static const auto real = next<int (*)(int, int, off64_t, off64_t)>("fallocate64");
    return fd_fails("fallocate64", fd) ? -1 : real(fd, mode, offset, length);
}

// posix_fallocate returns the error number instead of setting errno.
int posix_fallocate(int fd, off_t offset, off_t length)
{
    static const auto real = next<int (*)(int, off_t, off_t)>("posix_fallocate");
    return fd_fails("posix_fallocate", fd) ? errno : real(fd, offset, length);
}

int posix_fallocate64(int fd, off64_t offset, off64_t length)
{
    static const auto real = next<int (*)(int, off64_t, off64_t)>("posix_fallocate64");
    return fd_fails("posix_fallocate64", fd) ? errno : real(fd, offset, length);
}

// close(2) is where NFS and some others report delayed write errors; only writable fds count.
int close(int fd)
{
    static const auto real = next<int (*)(int)>("close");
    if (settings().dir.empty()) {
        return real(fd);
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY) {
        return real(fd);
    }
    const std::string path = path_of_fd(fd);
    if (!should_fail("close", path)) {
        return real(fd);
    }
    const int error_number = errno;
    real(fd);  // Linux closes the fd even when close reports an error
    errno = error_number;
    return -1;
}

int open(const char* path, int flags, ...)
{
    static const auto real = next<int (*)(const char*, int, ...)>("open");
    va_list arguments;
    va_start(arguments, flags);
    const mode_t mode = mode_argument(flags, arguments);
    va_end(arguments);
    if (creates(flags) && should_fail("open", path_at(AT_FDCWD, path))) {
        return -1;
    }
    return real(path, flags, mode);
}

int open64(const char* path, int flags, ...)
{
    static const auto real = next<int (*)(const char*, int, ...)>("open64");
    va_list arguments;
    va_start(arguments, flags);
    const mode_t mode = mode_argument(flags, arguments);
    va_end(arguments);
    if (creates(flags) && should_fail("open64", path_at(AT_FDCWD, path))) {
        return -1;
    }
    return real(path, flags, mode);
}

int openat(int dirfd, const char* path, int flags, ...)
{
    static const auto real = next<int (*)(int, const char*, int, ...)>("openat");
    va_list arguments;
    va_start(arguments, flags);
    const mode_t mode = mode_argument(flags, arguments);
    va_end(arguments);
    if (creates(flags) && should_fail("openat", path_at(dirfd, path))) {
        return -1;
    }
    return real(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char* path, int flags, ...)
{
    static const auto real = next<int (*)(int, const char*, int, ...)>("openat64");
    va_list arguments;
    va_start(arguments, flags);
    const mode_t mode = mode_argument(flags, arguments);
    va_end(arguments);
    if (creates(flags) && should_fail("openat64", path_at(dirfd, path))) {
        return -1;
    }
    return real(dirfd, path, flags, mode);
}

int creat(const char* path, mode_t mode)
{
    static const auto real = next<int (*)(const char*, mode_t)>("creat");
    return should_fail("creat", path_at(AT_FDCWD, path)) ? -1 : real(path, mode);
}

int creat64(const char* path, mode_t mode)
{
    static const auto real = next<int (*)(const char*, mode_t)>("creat64");
    return should_fail("creat64", path_at(AT_FDCWD, path)) ? -1 : real(path, mode);
}

// glibc's mk*temp open the file through an internal call that no preload sees, so they are
// watched themselves.
int mkstemp(char* name_template)
{
    static const auto real = next<int (*)(char*)>("mkstemp");
    return should_fail("mkstemp", path_at(AT_FDCWD, name_template)) ? -1 : real(name_template);
}

int mkostemp(char* name_template, int flags)
{
    static const auto real = next<int (*)(char*, int)>("mkostemp");
    return should_fail("mkostemp", path_at(AT_FDCWD, name_template)) ? -1 : real(name_template, flags);
}

int mkstemps(char* name_template, int suffix_length)
{
    static const auto real = next<int (*)(char*, int)>("mkstemps");
    return should_fail("mkstemps", path_at(AT_FDCWD, name_template)) ? -1
                                                                     : real(name_template, suffix_length);
}

int mkostemps(char* name_template, int suffix_length, int flags)
{
    static const auto real = next<int (*)(char*, int, int)>("mkostemps");
    return should_fail("mkostemps", path_at(AT_FDCWD, name_template))
               ? -1
               : real(name_template, suffix_length, flags);
}

int rename(const char* from, const char* to)
{
    static const auto real = next<int (*)(const char*, const char*)>("rename");
    const std::string target = path_at(AT_FDCWD, to);
    const std::string watched = under_dir(target) ? target : path_at(AT_FDCWD, from);
    return should_fail("rename", watched) ? -1 : real(from, to);
}

int renameat(int from_dir, const char* from, int to_dir, const char* to)
{
    static const auto real = next<int (*)(int, const char*, int, const char*)>("renameat");
    const std::string target = path_at(to_dir, to);
    const std::string watched = under_dir(target) ? target : path_at(from_dir, from);
    return should_fail("renameat", watched) ? -1 : real(from_dir, from, to_dir, to);
}

int renameat2(int from_dir, const char* from, int to_dir, const char* to, unsigned int flags)
{
    static const auto real = next<int (*)(int, const char*, int, const char*, unsigned int)>("renameat2");
    const std::string target = path_at(to_dir, to);
    const std::string watched = under_dir(target) ? target : path_at(from_dir, from);
    return should_fail("renameat2", watched) ? -1 : real(from_dir, from, to_dir, to, flags);
}

// linkat gives an O_TMPFILE file its name.
int linkat(int from_dir, const char* from, int to_dir, const char* to, int flags)
{
    static const auto real = next<int (*)(int, const char*, int, const char*, int)>("linkat");
    return should_fail("linkat", path_at(to_dir, to)) ? -1 : real(from_dir, from, to_dir, to, flags);
}

}  // extern "C"
