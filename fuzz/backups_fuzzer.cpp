// libFuzzer target for the backups as the measurement store reads and rewrites them. The input is
// one file's bytes; it is tried as miscale_backup.csv and as omron_backup.csv:
//   - every line the row parsers accept formats back to itself and takes another status;
//   - the store opens any content (unreadable lines are kept, never a crash);
//   - marking every to_import row failed and flushing changes exactly those rows' status words —
//     every other byte, line endings and byte order mark included, stays as it was.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>

#include <unistd.h>

#include "fs/line_reader.hpp"
#include "garmin/outbox/blood_pressure_upload.hpp"
#include "store/measurement_store.hpp"
#include "store/miscale/miscale_row.hpp"
#include "store/miscale/miscale_uploaded_row.hpp"
#include "store/omron/omron_row.hpp"
#include "util/time.hpp"

namespace {

using namespace ble2garmin;
using namespace ble2garmin::store;

void check_scale_row(const MiscaleRow& row)
{
    const std::string line = format_miscale_row(row);
    auto again = MiscaleRow::parse(line);
    if (!again || again->text() != line || again->status() != row.status() ||
        again->layout() != row.layout() || again->unix_time() != row.unix_time() ||
        again->extras().size() != row.extras().size()) {
        std::abort();
    }
    static_cast<void>(row.impedance_ohm());
    static_cast<void>(composition_of_complete_row(row));
    if (row.email()) {
        static_cast<void>(format_change(row.weight_text(), row.weight_text()));
    }
    if (is_pending(row.status())) {
        auto failed = row.with_status(RowStatus::failed);
        if (!failed || failed->text().substr(failed->text().find(';')) != line.substr(line.find(';'))) {
            std::abort();
        }
    }
}

void check_blood_pressure_row(const OmronRow& row)
{
    static_cast<void>(make_uploaded_omron_row(row, from_unix_seconds(1'721'232'000), k_category_us));
    static_cast<void>(garmin::prepare_blood_pressure_upload(row));
    if (is_pending(row.status)) {
        static_cast<void>(omron_row_with_status(row, RowStatus::failed));
    }
}

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The text with the status word of every line that `is_waiting` accepts replaced by "failed".
template <class IsWaiting>
std::string expected_after_failing(std::string_view text, IsWaiting is_waiting)
{
    auto reader = fs::LineReader::from_text(std::string(text));
    std::string expected;
    fs::Line line;
    while (reader.next(line)) {
        if (line.text.starts_with("to_import;") && is_waiting(line)) {
            expected += "failed" + line.text.substr(line.text.find(';'));
        } else {
            expected += line.text;
        }
        expected += line.ending;
    }
    return expected;
}

void check_store(std::string_view text, bool as_scale)
{
    static const std::filesystem::path directory =
        std::filesystem::temp_directory_path() / ("ble2garmin-fuzz-backups-" + std::to_string(::getpid()));
    std::filesystem::remove_all(directory);
    std::filesystem::create_directory(directory);
    StoreOptions options;
    options.state_directory = directory;
    options.scale_csv = directory / "miscale_backup.csv";
    options.blood_pressure_csv = directory / "omron_backup.csv";
    const auto file = as_scale ? options.scale_csv : options.blood_pressure_csv;
    std::ofstream(file, std::ios::binary) << text;
    auto store = MeasurementStore::open(options, from_unix_seconds(1'721'232'000));
    if (!store) {
        return;
    }
    if (as_scale) {
        for (const auto& pending : std::vector<PendingScale>((*store)->pending_scale())) {
            (*store)->mark_failed(BackupKind::scale, pending.row.unix_time());
        }
    } else {
        for (const auto& row : std::vector<OmronRow>((*store)->pending_blood_pressure())) {
            (*store)->mark_failed(BackupKind::blood_pressure, row.unix_time);
        }
    }
    if (!(*store)->flush()) {
        std::abort();
    }
    // Rows with the same time are one measurement for the store: the first waiting one changes.
    std::set<std::int64_t> changed;
    const std::string expected = expected_after_failing(text, [&](const fs::Line& line) {
        if (as_scale) {
            auto row = MiscaleRow::parse(line.text);
            return row && changed.insert(row->unix_time()).second;
        }
        auto row = parse_omron_row(line.text);
        return row && changed.insert(row->unix_time).second;
    });
    if (read_file(file) != expected) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto reader = fs::LineReader::from_text(std::string(text));
    fs::Line line;
    while (reader.next(line)) {
        if (auto row = MiscaleRow::parse(line.text)) {
            check_scale_row(*row);
        }
        if (auto row = parse_omron_row(line.text)) {
            check_blood_pressure_row(*row);
        }
    }
    check_store(text, true);
    check_store(text, false);
    return 0;
}
