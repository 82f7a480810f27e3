#include "log/journal_sink.hpp"

#include <string_view>
#include <vector>

#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include "log/journal_fields.hpp"

namespace ble2garmin::logging {

void JournalSink::sink_it_(const spdlog::details::log_msg& message)
{
    const auto fields = journal_fields(
        message.level, std::string_view(message.logger_name.data(), message.logger_name.size()),
        std::string_view(message.payload.data(), message.payload.size()));
    std::vector<iovec> entries;
    entries.reserve(fields.size());
    for (const auto& field : fields) {
        // sd_journal_sendv only reads the buffers.
        entries.push_back({const_cast<char*>(field.data()), field.size()});
    }
    // A full or absent journal loses the line; logging must never stop the daemon.
    (void)sd_journal_sendv(entries.data(), static_cast<int>(entries.size()));
}

}  // namespace ble2garmin::logging
