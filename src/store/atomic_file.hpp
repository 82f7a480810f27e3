#pragma once
// Replacing a whole file atomically: the text is written to a temp file in the same directory
// (".<name>.tmp-XXXXXX"), fsynced, given its mode, renamed over the target and the directory
// fsynced, so after a crash at any moment the file holds either the old or the new text. Shared by
// the CSV backups (store/csv_file.hpp) and the Garmin token files (garmin/token_store.hpp).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "ble2garmin/result.hpp"

#include "store/file_sync.hpp"

namespace ble2garmin::store {

struct AtomicWriteOptions {
    // The mode of the new file. nullopt: the mode of the file being replaced, or 0644 when there is
    // none (the owner is then kept too, when permitted).
    std::optional<mode_t> mode;
};

// Makes `text` the whole content of `target` (not following symlinks: resolve them first when
// wanted). An Error when the temp file cannot be written or renamed; `target` is then untouched and
// the temp file removed. A failing fsync of the directory after the rename is only logged.
Result<void> replace_file_atomically(const std::filesystem::path& target, std::string_view text,
                                     const AtomicWriteOptions& options = {},
                                     FileSync& sync = system_file_sync());

// write(2) until all of `data` is written (retrying after EINTR); false with errno set otherwise.
bool write_all(int fd, std::string_view data);

// The name prefix of `target`'s temp files (".miscale_backup.csv.tmp-").
std::string atomic_temp_prefix(const std::filesystem::path& target);

}  // namespace ble2garmin::store
