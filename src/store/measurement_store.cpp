#include "store/measurement_store.hpp"

#include <algorithm>
#include <cerrno>
#include <system_error>

#include <sys/stat.h>

#include "fs/atomic_file.hpp"
#include "fs/line_reader.hpp"
#include "log/logging.hpp"
#include "store/legacy_state_files.hpp"
#include "store/miscale/miscale_uploaded_row.hpp"
#include "store/state_lock.hpp"
#include "util/time.hpp"

namespace ble2garmin::store {
namespace {

// Unreadable lines are named one by one up to this many per file, then counted.
constexpr std::size_t k_unreadable_lines_named = 5;

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("store");
}

// True when the journal names a row that the file has not shown (yet): a recording was under way
// when the process stopped — its journal line is written before its row.
bool recording_was_under_way(const std::unordered_map<RowTime, bool>& journal_rows)
{
    return std::any_of(journal_rows.begin(), journal_rows.end(),
                       [](const auto& entry) { return !entry.second; });
}

// True for the unfinished last line of an append that a kill or a power cut interrupted: while a
// recording was under way, the file's last line without a line ending (ble2garmin, export2garmin
// and Python's csv module end every line they write) that is not a row, or is a row whose time the
// journal names (so ble2garmin wrote it, and it lost its ending and maybe part of its last field).
// Without a recording under way such a line is the user's (a hand-edited file) and stays.
bool is_torn_tail(const fs::Line& line, std::optional<RowTime> row_time,
                  const std::unordered_map<RowTime, bool>& journal_rows)
{
    return line.ending.empty() && !line.text.empty() && (!row_time || journal_rows.contains(*row_time)) &&
           recording_was_under_way(journal_rows);
}

// Streams one backup: the first line's ending becomes the file's own (`line_ending`), a header line
// is skipped, every row goes to `on_row`; lines that are not rows are counted in `unreadable` (the
// first few named in the log) and kept as they are. The offset of an unfinished last line (see
// is_torn_tail), which the caller cuts off, or nullopt.
template <class Parse, class TimeOf, class IsHeader, class OnRow>
Result<std::optional<std::uint64_t>> stream_backup(const std::filesystem::path& path, bool& empty,
                                                   std::string& line_ending,
                                                   const std::unordered_map<RowTime, bool>& journal_rows,
                                                   IsHeader is_header, Parse parse, TimeOf time_of,
                                                   OnRow on_row, std::size_t& unreadable)
{
    auto reader = fs::LineReader::open(path);
    if (!reader) {
        return reader.error();
    }
    std::uint64_t offset = 0;
    fs::Line line;
    while (reader->next(line)) {
        const std::uint64_t line_start = offset;
        offset += line.text.size() + line.ending.size();
        if (line.number == 1) {
            empty = false;
            line_ending = std::string(fs::line_ending_or_default(line.ending));
            if (is_header(line.text)) {
                if (line.ending.empty() && recording_was_under_way(journal_rows)) {
                    return std::optional<std::uint64_t>(line_start);  // the header alone, cut short
                }
                continue;
            }
        }
        if (line.text.empty()) {
            continue;
        }
        auto row = parse(line.text);
        if (is_torn_tail(line, row ? std::optional<RowTime>(time_of(*row)) : std::nullopt, journal_rows)) {
            return std::optional<std::uint64_t>(line_start);
        }
        if (!row) {
            if (++unreadable <= k_unreadable_lines_named) {
                logger()->warn("unreadable line kept as it is path={} line={}", path.string(), line.number);
            }
            continue;
        }
        on_row(std::move(*row));
    }
    if (reader->error()) {
        return *reader->error();
    }
    return std::optional<std::uint64_t>();
}

bool is_omron_header(std::string_view line)
{
    return line.starts_with("Data Status;") || line.starts_with(
                                                   "\xEF\xBB\xBF"
                                                   "Data Status;");
}

// The user named `name` in `users`.
std::optional<User> user_named(const std::vector<User>& users, std::string_view name)
{
    for (const auto& user : users) {
        if (user.name == name) {
            return user;
        }
    }
    return std::nullopt;
}

// The user a `local` row was written for: its Email User field is the garmin_email, or the name of a
// user without one.
std::optional<User> user_of_local_row(const std::vector<User>& users, std::string_view owner)
{
    for (const auto& user : users) {
        if ((!user.garmin_email.empty() && user.garmin_email == owner) || user.name == owner) {
            return user;
        }
    }
    return std::nullopt;
}

}  // namespace

MeasurementStore::MeasurementStore(StoreOptions options, Backup scale, Backup blood_pressure,
                                   MeasurementJournal journal)
    : m_options(std::move(options)),
      m_scale(std::move(scale)),
      m_blood_pressure(std::move(blood_pressure)),
      m_journal(std::move(journal))
{
}

MeasurementStore::~MeasurementStore()
{
    if (unwritten_changes() > 0) {
        if (auto flushed = flush(); !flushed) {
            logger()->error("upload results not written to the backup, those rows are sent again later: {}",
                            flushed.error().message);
        }
    }
}

Result<std::unique_ptr<MeasurementStore>> MeasurementStore::open(StoreOptions options, SystemTime now,
                                                                 fs::FileSync& sync)
{
    if (auto created = create_state_directory(options.state_directory); !created) {
        return created.error();
    }
    const auto journal_path = options.state_directory / k_journal_file;
    for (const auto& path : {options.scale_csv, options.blood_pressure_csv, journal_path}) {
        if (auto regular = fs::check_regular_or_missing(path); !regular) {
            return regular.error();
        }
        fs::CsvFile file(path, sync);
        if (const std::size_t removed = file.remove_stale_temp_files(); removed > 0) {
            logger()->info("removed temp files of an interrupted rewrite path={} count={}", path.string(),
                           removed);
        }
    }
    auto journal = MeasurementJournal::open(journal_path, sync);
    if (!journal) {
        return journal.error();
    }
    auto legacy = read_legacy_state_files(options.state_directory);
    if (!legacy) {
        return legacy.error();
    }
    Backup scale{fs::CsvFile(options.scale_csv, sync)};
    scale.columns = options.new_scale_columns;
    Backup blood_pressure{fs::CsvFile(options.blood_pressure_csv, sync)};
    std::unique_ptr<MeasurementStore> store(new MeasurementStore(
        std::move(options), std::move(scale), std::move(blood_pressure), std::move(*journal)));

    std::vector<JournalEntry> entries = store->m_journal.take_entries_at_open();
    const bool migrating = !legacy->entries.empty();
    entries.insert(entries.begin(), legacy->entries.begin(), legacy->entries.end());
    // Which rows the journal names, to be checked against the files.
    std::unordered_map<RowTime, bool> scale_rows;
    std::unordered_map<RowTime, bool> blood_pressure_rows;
    for (const auto& entry : entries) {
        if (!entry.row_unknown) {
            (entry.file == BackupKind::scale ? scale_rows : blood_pressure_rows).emplace(entry.row, false);
        }
    }
    if (auto read = store->read_scale_file(scale_rows); !read) {
        return read.error();
    }
    if (auto read = store->read_blood_pressure_file(blood_pressure_rows); !read) {
        return read.error();
    }
    const auto has_row = [&](const JournalEntry& entry) {
        const auto& rows = entry.file == BackupKind::scale ? scale_rows : blood_pressure_rows;
        const auto found = rows.find(entry.row);
        return entry.row_unknown || (found != rows.end() && found->second);
    };
    std::vector<JournalEntry> valid;
    for (auto& entry : entries) {
        if (has_row(entry)) {
            valid.push_back(std::move(entry));
        } else {
            // Written just before a crash or a failed row write: the reading was never recorded.
            logger()->debug("journal line without its row dropped row={} key={}", entry.row, entry.key);
        }
    }
    const std::size_t dropped = entries.size() - valid.size();
    // Cursors first, from the lines whose rows exist: compaction may drop those lines below.
    auto cursors = DeviceCursors::open(store->m_options.state_directory / k_device_cursors_file);
    if (!cursors) {
        return cursors.error();
    }
    bool cursors_moved = false;
    for (const auto& entry : valid) {
        if (!entry.stream.empty()) {
            cursors_moved =
                cursors->raise(entry.key.substr(0, entry.key.find('|')), entry.stream, entry.position) ||
                cursors_moved;
        }
    }
    if (cursors_moved) {
        if (auto saved = cursors->save(sync); !saved) {
            return saved.error();
        }
    }
    store->m_cursors = std::move(*cursors);
    if (auto settled = store->settle_journal(std::move(valid), now, migrating || dropped > 0); !settled) {
        return settled.error();
    }
    if (migrating || dropped > 0) {
        // settle_journal rewrote the journal; the files of earlier versions are in it now.
        remove_legacy_state_files(store->m_options.state_directory);
    }
    return store;
}

Result<void> MeasurementStore::read_scale_file(std::unordered_map<RowTime, bool>& rows_seen)
{
    std::size_t unreadable = 0;
    bool has_header = false;
    const auto is_header = [&](std::string_view text) {
        if (!is_miscale_header(text)) {
            return false;
        }
        has_header = true;
        m_scale.columns = detect_suffixes(text);
        return true;
    };
    const auto parse = [](std::string_view text) -> std::optional<MiscaleRow> {
        auto row = MiscaleRow::parse(text);
        return row ? std::optional<MiscaleRow>(std::move(*row)) : std::nullopt;
    };
    const auto time_of = [](const MiscaleRow& row) { return row.unix_time(); };
    const auto on_row = [&](MiscaleRow row) {
        if (auto found = rows_seen.find(row.unix_time()); found != rows_seen.end()) {
            found->second = true;
        }
        if (is_complete(row.status()) && row.email()) {
            auto& latest = m_latest_weight[std::string(*row.email())];
            if (row.unix_time() >= latest.first) {
                latest = {row.unix_time(), row.weight_text()};
            }
        }
        if (is_pending(row.status()) || (m_options.include_local && row.status() == RowStatus::local)) {
            m_pending_scale.push_back(PendingScale{std::move(row), std::nullopt, std::nullopt, {}});
        }
    };
    auto torn_at = stream_backup(m_scale.file.path(), m_scale.empty, m_scale.line_ending, rows_seen,
                                 is_header, parse, time_of, on_row, unreadable);
    if (!torn_at) {
        return torn_at.error();
    }
    if (auto cut = cut_torn_tail(m_scale, *torn_at); !cut) {
        return cut;
    }
    if (!m_scale.empty && !has_header) {
        logger()->warn("backup has no header line, none is added path={}", m_scale.file.path().string());
    }
    note_unreadable(m_scale, unreadable);
    std::stable_sort(
        m_pending_scale.begin(), m_pending_scale.end(),
        [](const PendingScale& a, const PendingScale& b) { return a.row.unix_time() < b.row.unix_time(); });
    return {};
}

void MeasurementStore::note_unreadable(const Backup& backup, std::size_t unreadable)
{
    if (unreadable > k_unreadable_lines_named) {
        logger()->warn("{} unreadable lines in all kept as they are path={}", unreadable,
                       backup.file.path().string());
    }
    m_unreadable_lines += unreadable;
}

Result<void> MeasurementStore::cut_torn_tail(Backup& backup, std::optional<std::uint64_t> torn_at)
{
    if (!torn_at) {
        return {};
    }
    // The journal line of that weighing counts for nothing now (no row): its next advertisement, or
    // the next replay of the recording, records it whole.
    if (auto cut = backup.file.truncate_to(*torn_at); !cut) {
        return cut;
    }
    logger()->warn("removed the unfinished last line of an interrupted write path={} bytes_kept={}",
                   backup.file.path().string(), *torn_at);
    backup.empty = *torn_at == 0;
    return {};
}

Result<void> MeasurementStore::read_blood_pressure_file(std::unordered_map<RowTime, bool>& rows_seen)
{
    std::size_t unreadable = 0;
    const auto time_of = [](const OmronRow& row) { return row.unix_time; };
    const auto on_row = [&](OmronRow row) {
        if (auto found = rows_seen.find(row.unix_time); found != rows_seen.end()) {
            found->second = true;
        }
        if (is_pending(row.status) || (m_options.include_local && row.status == RowStatus::local)) {
            m_pending_blood_pressure.push_back(std::move(row));
        }
    };
    auto torn_at =
        stream_backup(m_blood_pressure.file.path(), m_blood_pressure.empty, m_blood_pressure.line_ending,
                      rows_seen, is_omron_header, parse_omron_row, time_of, on_row, unreadable);
    if (!torn_at) {
        return torn_at.error();
    }
    if (auto cut = cut_torn_tail(m_blood_pressure, *torn_at); !cut) {
        return cut;
    }
    note_unreadable(m_blood_pressure, unreadable);
    std::stable_sort(m_pending_blood_pressure.begin(), m_pending_blood_pressure.end(),
                     [](const OmronRow& a, const OmronRow& b) { return a.unix_time < b.unix_time; });
    return {};
}

Result<void> MeasurementStore::settle_journal(std::vector<JournalEntry> entries, SystemTime now,
                                              bool must_rewrite)
{
    // The last line of a row wins (a retried recording may have written two).
    std::unordered_map<RowTime, const JournalEntry*> scale_entries;
    for (const auto& entry : entries) {
        if (entry.file == BackupKind::scale && !entry.row_unknown) {
            scale_entries[entry.row] = &entry;
        }
    }
    std::unordered_map<RowTime, bool> waiting;
    for (auto& pending : m_pending_scale) {
        const auto found = scale_entries.find(pending.row.unix_time());
        attach_recorded(pending, found == scale_entries.end() ? nullptr : found->second);
        waiting[pending.row.unix_time()] = true;
    }
    std::vector<JournalEntry> keep;
    const auto window = m_options.duplicate_window;
    for (auto& entry : entries) {
        const bool in_window =
            window.count() > 0 && !entry.key.empty() && now - from_unix_seconds(entry.seen) <= window;
        const bool row_waits = entry.file == BackupKind::scale && !entry.row_unknown &&
                               waiting.contains(entry.row) && (!entry.user.empty() || entry.composition);
        if (in_window) {
            remember(entry);
        }
        if (in_window || row_waits) {
            keep.push_back(std::move(entry));
        }
    }
    if (!must_rewrite && keep.size() == entries.size() && std::filesystem::exists(m_journal.path())) {
        return {};
    }
    return m_journal.rewrite(keep);
}

void MeasurementStore::attach_recorded(PendingScale& pending, const JournalEntry* entry)
{
    if (pending.row.status() == RowStatus::local) {
        pending.user = user_of_local_row(m_options.users, pending.row.email().value_or(""));
        pending.composition = composition_of_complete_row(pending.row);
        if (!pending.user) {
            pending.why_incomplete = "no configured user has the row's Email User";
        }
        return;
    }
    std::optional<std::string> owner;
    if (entry != nullptr && !entry->user.empty()) {
        owner = entry->user;
        pending.user = user_named(m_options.users, entry->user);
        pending.composition = entry->composition;
    }
    if (pending.user && pending.composition) {
        return;
    }
    // Written by export2garmin or an earlier ble2garmin, or the recorded user is no longer configured.
    if (!m_options.complete_row) {
        pending.why_incomplete = "no user known for this row";
        return;
    }
    RowCompletion completion = m_options.complete_row(pending.row, owner);
    pending.user = std::move(completion.user);
    pending.composition = std::move(completion.composition);
    pending.why_incomplete = std::move(completion.why_not);
}

void MeasurementStore::remember(const JournalEntry& entry)
{
    if (entry.key.empty()) {
        return;
    }
    const SystemTime seen = from_unix_seconds(entry.seen);
    auto [it, inserted] = m_seen.emplace(entry.key, seen);
    if (!inserted && it->second < seen) {
        it->second = seen;
    }
}

bool MeasurementStore::already_recorded(const std::string& key, SystemTime received_at) const
{
    const auto found = m_seen.find(key);
    return m_options.duplicate_window.count() > 0 && found != m_seen.end() &&
           received_at - found->second <= m_options.duplicate_window;
}

Result<void> MeasurementStore::append_row(Backup& backup, std::string_view header,
                                          const std::string& row_text)
{
    const std::string& ending = backup.line_ending;
    std::string header_line;
    if (!header.empty()) {
        header_line = std::string(header) + ending;
    }
    auto appended = backup.file.append(row_text + ending, header_line, ending);
    if (!appended) {
        return appended.error();
    }
    if (appended->wrote_header && !backup.empty) {
        logger()->warn("backup was emptied by someone else path={}", backup.file.path().string());
    }
    backup.empty = false;
    return {};
}

Result<void> MeasurementStore::record(const std::string& key, const Measurement& measurement, bool for_garmin)
{
    if (std::holds_alternative<ScaleReading>(measurement.reading.value)) {
        return record_scale(key, measurement, for_garmin);
    }
    return record_blood_pressure(key, measurement, for_garmin);
}

Result<void> MeasurementStore::record_scale(const std::string& key, const Measurement& measurement,
                                            bool for_garmin)
{
    const auto& scale = std::get<ScaleReading>(measurement.reading.value);
    PendingScaleRow pending_row;
    pending_row.unix_time = to_unix_seconds(measurement.measured_at);
    pending_row.weight_kg = scale.weight_kg;
    pending_row.impedance_ohm = scale.impedance_ohm;
    pending_row.impedance_high_ohm = scale.impedance_high_ohm;
    pending_row.heart_rate_bpm = scale.heart_rate_bpm;
    pending_row.battery_volts = scale.battery_volts;
    pending_row.battery_percent = scale.battery_percent;
    pending_row.status = measurement.user ? RowStatus::to_import : RowStatus::unassigned;
    auto text = format_pending_row(pending_row, m_scale.columns);
    if (!text) {
        return text.error();
    }
    auto row = MiscaleRow::parse(*text);
    if (!row) {
        return make_error("formatted row does not parse: " + row.error().message);
    }
    const bool local = measurement.user && measurement.composition && !for_garmin;
    std::string owner;
    if (local) {
        owner =
            measurement.user->garmin_email.empty() ? measurement.user->name : measurement.user->garmin_email;
        const auto latest = m_latest_weight.find(owner);
        auto complete = make_local_row(*row, *measurement.composition, owner, measurement.measured_at,
                                       latest == m_latest_weight.end()
                                           ? std::nullopt
                                           : std::optional<std::string_view>(latest->second.second));
        if (!complete) {
            return complete.error();
        }
        row = std::move(complete);
    }

    JournalEntry entry;
    entry.key = key;
    entry.seen = to_unix_seconds(measurement.reading.received_at);
    entry.file = BackupKind::scale;
    entry.row = row->unix_time();
    entry.user = measurement.user ? measurement.user->name : "";
    entry.source = measurement.reading.source;
    if (!local) {
        entry.composition = measurement.composition;
    }
    // The journal line first: without its row it does not count (measurement_journal.hpp).
    if (auto journaled = m_journal.append(entry); !journaled) {
        return journaled.error();
    }
    if (auto appended = append_row(m_scale, make_miscale_header(m_scale.columns), row->text()); !appended) {
        return appended.error();
    }
    remember(entry);
    if (local) {
        m_latest_weight[owner] = {row->unix_time(), row->weight_text()};
    }
    if (is_pending(row->status())) {
        PendingScale pending{std::move(*row), measurement.user, measurement.composition,
                             measurement.composition_error};
        const auto after = std::upper_bound(
            m_pending_scale.begin(), m_pending_scale.end(), pending.row.unix_time(),
            [](RowTime time, const PendingScale& each) { return time < each.row.unix_time(); });
        m_pending_scale.insert(after, std::move(pending));
    }
    return {};
}

Result<void> MeasurementStore::record_blood_pressure(const std::string& key, const Measurement& measurement,
                                                     bool for_garmin)
{
    const auto& pressure = std::get<BloodPressureReading>(measurement.reading.value);
    const RowTime time = to_unix_seconds(measurement.measured_at);
    RowStatus status = RowStatus::unassigned;
    std::string email;
    if (measurement.user) {
        email = measurement.user->garmin_email;
        status = for_garmin && !email.empty() ? RowStatus::to_import : RowStatus::local;
    }
    const std::string text =
        format_new_omron_row(status, time, pressure, email, m_options.blood_pressure_standard);
    auto row = parse_omron_row(text);
    if (!row) {
        return make_error("formatted blood-pressure row does not parse");
    }
    JournalEntry entry;
    entry.key = key;
    entry.seen = to_unix_seconds(measurement.reading.received_at);
    entry.file = BackupKind::blood_pressure;
    entry.row = time;
    entry.user = measurement.user ? measurement.user->name : "";
    entry.source = measurement.reading.source;
    if (const auto& memory = measurement.reading.memory) {
        entry.stream = memory->stream;
        entry.position = memory->position;
    }
    if (auto journaled = m_journal.append(entry); !journaled) {
        return journaled.error();
    }
    if (auto appended = append_row(m_blood_pressure, omron_header(), text); !appended) {
        return appended.error();
    }
    remember(entry);
    if (!entry.stream.empty() && m_cursors) {
        // The journal line holds it durably; the file catches up at the next open.
        (void)m_cursors->raise(measurement.reading.device_address, entry.stream, entry.position);
    }
    if (is_pending(row->status)) {
        const auto after = std::upper_bound(
            m_pending_blood_pressure.begin(), m_pending_blood_pressure.end(), time,
            [](RowTime each_time, const OmronRow& each) { return each_time < each.unix_time; });
        m_pending_blood_pressure.insert(after, std::move(*row));
    }
    return {};
}

void MeasurementStore::mark_failed(BackupKind kind, RowTime row)
{
    if (kind == BackupKind::scale) {
        for (auto& pending : m_pending_scale) {
            if (pending.row.unix_time() == row && pending.row.status() == RowStatus::to_import) {
                if (auto failed = pending.row.with_status(RowStatus::failed)) {
                    pending.row = std::move(*failed);
                    m_scale_changes[row] = Change{RowStatus::failed, {}, {}, {}, {}};
                }
                return;
            }
        }
        return;
    }
    for (auto& pending : m_pending_blood_pressure) {
        if (pending.unix_time == row && pending.status == RowStatus::to_import) {
            pending.status = RowStatus::failed;
            pending.fields[0] = std::string(status_word(RowStatus::failed));
            m_blood_pressure_changes[row] = Change{RowStatus::failed, {}, {}, {}, {}};
            return;
        }
    }
}

Result<void> MeasurementStore::mark_uploaded(BackupKind kind, RowTime row, const std::string& email,
                                             SystemTime uploaded_at)
{
    if (kind == BackupKind::scale) {
        const auto found =
            std::find_if(m_pending_scale.begin(), m_pending_scale.end(),
                         [&](const PendingScale& each) { return each.row.unix_time() == row; });
        if (found == m_pending_scale.end()) {
            return make_error("no scale row waits for Garmin with Unix time " + std::to_string(row));
        }
        if (!found->composition) {
            return make_error("the scale row with Unix time " + std::to_string(row) +
                              " has no body composition");
        }
        m_scale_changes[row] =
            Change{RowStatus::uploaded, email, uploaded_at, found->composition, from_unix_seconds(row)};
        m_pending_scale.erase(found);
        return {};
    }
    const auto found = std::find_if(m_pending_blood_pressure.begin(), m_pending_blood_pressure.end(),
                                    [&](const OmronRow& each) { return each.unix_time == row; });
    if (found == m_pending_blood_pressure.end()) {
        return make_error("no blood-pressure row waits for Garmin with Unix time " + std::to_string(row));
    }
    m_blood_pressure_changes[row] = Change{RowStatus::uploaded, email, uploaded_at, std::nullopt, {}};
    m_pending_blood_pressure.erase(found);
    return {};
}

std::size_t MeasurementStore::unwritten_changes() const
{
    return m_scale_changes.size() + m_blood_pressure_changes.size();
}

Result<void> MeasurementStore::flush()
{
    if (auto scale = flush_scale(); !scale) {
        return scale;
    }
    return flush_blood_pressure();
}

}  // namespace ble2garmin::store
