#pragma once
// Replacing a whole file atomically: the text is written to a temp file in the same directory
// (".<name>.tmp-XXXXXX"), fsynced, given its mode, renamed over the target and the directory
// fsynced, so after a crash at any moment the file holds either the old or the new text. Shared by
// the CSV backups, the state files and the Garmin token files.
//
// The target is never followed through a symbolic link: a link where a state file should be is
// refused (it could point outside the state directory), so is anything that is not a regular file.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "ble2garmin/result.hpp"

#include "fs/file_error.hpp"
#include "fs/file_sync.hpp"

namespace ble2garmin::fs {

struct AtomicWriteOptions {
    // The mode of the new file. nullopt: the mode (and, when permitted, the owner) of the file being
    // replaced, or 0600 when there is none.
    std::optional<mode_t> mode;
};

// Writes a file's new content in pieces and puts it in place with commit(). Destroying a writer
// that was not committed removes its temp file and leaves the target untouched.
class AtomicFileWriter {
public:
    // Creates the temp file beside `target`. An Error when `target` is a symbolic link or not a
    // regular file, or the temp file cannot be created.
    static Result<AtomicFileWriter> begin(const std::filesystem::path& target,
                                          const AtomicWriteOptions& options = {},
                                          FileSync& sync = system_file_sync());
    AtomicFileWriter(AtomicFileWriter&& other) noexcept;
    AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
    ~AtomicFileWriter();

    // Appends `text` (buffered). An Error when the temp file cannot be written.
    Result<void> write(std::string_view text);
    // Flushes, fsyncs, renames over the target and fsyncs the directory. An Error when any step
    // before the rename fails; the target is then untouched. A failing directory fsync after the
    // rename is only logged: the new text is in place by then.
    Result<void> commit();

private:
    AtomicFileWriter(std::filesystem::path target, std::filesystem::path temp, int fd, FileSync& sync);
    Result<void> flush();
    void discard();

    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    int m_fd = -1;
    FileSync* m_sync;
    std::string m_buffer;
};

// Makes `text` the whole content of `target` with an AtomicFileWriter. An Error when the temp file
// cannot be written or renamed, or `target` is a symbolic link; `target` is then untouched.
Result<void> replace_file_atomically(const std::filesystem::path& target, std::string_view text,
                                     const AtomicWriteOptions& options = {},
                                     FileSync& sync = system_file_sync());

// write(2) until all of `data` is written (retrying after EINTR); false with errno set otherwise.
bool write_all(int fd, std::string_view data);

// The name prefix of `target`'s temp files (".miscale_backup.csv.tmp-").
std::string atomic_temp_prefix(const std::filesystem::path& target);

}  // namespace ble2garmin::fs
