#include "store/miscale_backup.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

#include "log/logging.hpp"

namespace ble2garmin::store {

MiscaleBackup::MiscaleBackup(CsvFile file, MiscaleCsv csv, HeaderSuffixes suffixes)
    : m_file(std::move(file)), m_csv(std::move(csv)), m_suffixes(suffixes)
{
}

Result<MiscaleBackup> MiscaleBackup::open(std::filesystem::path path, HeaderSuffixes for_new_file,
                                          FileSync& sync)
{
    const auto log = logging::get("store");
    CsvFile file(std::move(path), sync);
    if (const std::size_t removed = file.remove_stale_temp_files(); removed > 0) {
        log->info("removed temp files of an interrupted rewrite path={} count={}", file.path().string(),
                  removed);
    }
    auto content = file.read();
    if (!content) {
        return content.error();
    }
    MiscaleCsv csv = parse_miscale_csv(content->value_or(std::string()));
    for (const UnreadableLine& line : csv.unreadable) {
        log->warn("unreadable line kept as it is path={} line={} reason={}", file.path().string(),
                  line.line_number, line.reason);
    }
    HeaderSuffixes suffixes = for_new_file;
    if (csv.header) {
        suffixes = csv.suffixes;
        if (suffixes != for_new_file) {
            log->info("the file's header decides the optional columns path={} battery={} s400={}",
                      file.path().string(), suffixes.battery, suffixes.s400);
        }
    } else if (!csv.rows.empty() || !csv.unreadable.empty()) {
        log->warn("backup has no header line, none is added path={}", file.path().string());
    }
    return MiscaleBackup(std::move(file), std::move(csv), suffixes);
}

Result<void> MiscaleBackup::append_pending(const PendingScaleRow& pending_row)
{
    if (pending_row.status != RowStatus::to_import && pending_row.status != RowStatus::unassigned) {
        return make_error("a new row must be to_import or unassigned");
    }
    auto text = format_pending_row(pending_row, m_suffixes);
    if (!text) {
        return text.error();
    }
    auto row = MiscaleRow::parse(*text);
    if (!row) {
        return make_error("formatted row does not parse: " + row.error().message);
    }
    const std::string header = make_miscale_header(m_suffixes);
    auto appended = m_file.append(*text + "\n", header + "\n");
    if (!appended) {
        return appended.error();
    }
    if (appended->wrote_header) {
        if (!m_csv.rows.empty() || !m_csv.unreadable.empty()) {
            // Someone emptied the file since it was read: the file is now what this append wrote.
            logging::get("store")->warn("backup was emptied by someone else path={}", path().string());
        }
        m_csv = MiscaleCsv{};
        m_csv.header = header;
        m_csv.suffixes = m_suffixes;
    }
    m_csv.rows.push_back(std::move(row).value());
    logging::get("store")->debug("row appended unix_time={} status={}", pending_row.unix_time,
                                 status_word(pending_row.status));
    return {};
}

template <class Accepts>
std::optional<std::size_t> MiscaleBackup::find_row(std::int64_t unix_time, Accepts accepts) const
{
    for (std::size_t i = 0; i < m_csv.rows.size(); ++i) {
        const MiscaleRow& row = m_csv.rows[i];
        if (row.unix_time() == unix_time && accepts(row)) {
            return i;
        }
    }
    return std::nullopt;
}

Result<void> MiscaleBackup::mark_failed(std::int64_t unix_time)
{
    const auto index = find_row(unix_time, [](const MiscaleRow& row) { return is_pending(row.status()); });
    if (!index) {
        return make_error("no to_import or failed row with Unix time " + std::to_string(unix_time));
    }
    return set_status(unix_time, RowStatus::failed);
}

Result<void> MiscaleBackup::set_status(std::int64_t unix_time, RowStatus status)
{
    if (status == RowStatus::uploaded) {
        return make_error("use mark_uploaded to mark a row uploaded");
    }
    const auto index =
        find_row(unix_time, [](const MiscaleRow& row) { return row.status() != RowStatus::uploaded; });
    if (!index) {
        return make_error("no row waiting for upload with Unix time " + std::to_string(unix_time));
    }
    if (m_csv.rows[*index].status() == status) {
        return {};
    }
    auto changed = m_csv.rows[*index].with_status(status);
    if (!changed) {
        return changed.error();
    }
    MiscaleCsv updated = m_csv;
    updated.rows[*index] = std::move(changed).value();
    return rewrite(std::move(updated));
}

Result<void> MiscaleBackup::mark_uploaded(std::int64_t unix_time, const UploadedScale& data)
{
    const auto index = find_row(unix_time, [](const MiscaleRow& row) { return is_pending(row.status()); });
    if (!index) {
        return make_error("no to_import or failed row with Unix time " + std::to_string(unix_time));
    }
    auto uploaded =
        make_uploaded_row(m_csv.rows[*index], data, previous_uploaded_weight(m_csv, data.email, unix_time));
    if (!uploaded) {
        return uploaded.error();
    }
    MiscaleCsv updated = m_csv;
    updated.rows[*index] = std::move(uploaded).value();
    return rewrite(std::move(updated));
}

Result<void> MiscaleBackup::rewrite(MiscaleCsv updated)
{
    if (auto replaced = m_file.replace(format_miscale_csv(updated)); !replaced) {
        return replaced.error();
    }
    m_csv = std::move(updated);
    return {};
}

std::vector<MiscaleRow> MiscaleBackup::pending() const
{
    std::vector<MiscaleRow> rows;
    std::copy_if(m_csv.rows.begin(), m_csv.rows.end(), std::back_inserter(rows),
                 [](const MiscaleRow& row) { return is_pending(row.status()); });
    std::stable_sort(rows.begin(), rows.end(),
                     [](const MiscaleRow& a, const MiscaleRow& b) { return a.unix_time() < b.unix_time(); });
    return rows;
}

}  // namespace ble2garmin::store
