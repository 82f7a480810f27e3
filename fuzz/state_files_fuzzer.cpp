// libFuzzer target for the state files ble2garmin reads back at start-up besides the backups:
// measurements.jsonl (the measurement journal), the seen_readings.tsv / miscale_owners.tsv files of
// earlier versions and garmin_outbox.json. Any content must load without a crash (unreadable lines
// are skipped, the file is treated as empty), and every journal entry read must format to a line
// that reads back to the same entry.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include <unistd.h>

#include "fs/line_reader.hpp"
#include "garmin/outbox/outbox_schedule.hpp"
#include "store/legacy_state_files.hpp"
#include "store/measurement_journal.hpp"
#include "util/time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace ble2garmin;
    const std::string text(reinterpret_cast<const char*>(data), size);
    static const std::string path = "/tmp/ble2garmin-fuzz-state-" + std::to_string(::getpid());
    {
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file << text;
    }
    if (auto journal = store::MeasurementJournal::open(path)) {
        for (const auto& entry : journal->entries_at_open()) {
            const std::string line = store::format_journal_entry(entry);
            const auto again = store::parse_journal_entry(std::string_view(line).substr(0, line.size() - 1));
            if (!again || store::format_journal_entry(*again) != line) {
                std::abort();
            }
        }
    }
    auto lines = fs::LineReader::from_text(text);
    fs::Line line;
    while (lines.next(line)) {
        static_cast<void>(store::parse_tab_line(line.text));
    }
    auto schedule = garmin::OutboxSchedule::open(path, [] { return 0.75; });
    (void)schedule.next_attempt(from_unix_seconds(0));
    (void)schedule.is_parked(1'721'076'654);
    return 0;
}
