#pragma once
// Who holds the state directory's lock (store/state_lock.hpp), found without taking it: `status` must
// never hold the lock even for a moment, or a daemon starting in that moment would be refused. The
// kernel lists every flock(2) in /proc/locks ("1: FLOCK  ADVISORY  WRITE 812 b3:02:131074 0 EOF":
// device major:minor in hex, then the inode); the lock file says who the holder is ("812 run").

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ble2garmin::store {

struct LockHolder {
    long pid = 0;         // as the lock file says (the holder's own pid namespace)
    std::string command;  // "run", "upload", …
};

// The holder of `state_directory`'s lock; empty when nobody holds it (or there is no lock file).
// `proc_locks` is the kernel's list (a parameter for tests); when it cannot be read, a shared lock is
// tried and dropped at once — the only case where the lock is touched.
std::optional<LockHolder> find_lock_holder(const std::filesystem::path& state_directory,
                                           const std::filesystem::path& proc_locks = "/proc/locks");

// True when a line of /proc/locks is an exclusive flock on the file with `device` and `inode`.
bool is_exclusive_flock_on(std::string_view proc_locks_line, unsigned long long device,
                           unsigned long long inode);

}  // namespace ble2garmin::store
