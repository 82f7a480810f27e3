// MeasurementStore::flush(): the status changes of an upload pass, applied in one streaming rewrite
// per backup. Every line that does not change is written back byte for byte, its own line ending
// included; a changed row keeps its line's ending.

#include <limits>
#include <set>

#include "fs/atomic_file.hpp"
#include "fs/line_reader.hpp"
#include "log/logging.hpp"
#include "store/measurement_store.hpp"
#include "store/miscale/miscale_uploaded_row.hpp"
#include "store/number_format.hpp"

namespace ble2garmin::store {
namespace {

std::shared_ptr<spdlog::logger> logger()
{
    return logging::get("store");
}

// The Change column's reference of each row that becomes uploaded: the weight of the same user's
// latest complete row measured before it — in the file, or among the rows uploaded in this batch.
using PreviousWeights = std::map<RowTime, std::optional<std::string>>;

template <class Changes>
Result<PreviousWeights> previous_weights(const std::filesystem::path& path, const Changes& changes)
{
    struct Best {
        RowTime time = std::numeric_limits<RowTime>::min();
        std::optional<std::string> weight;
    };
    std::map<RowTime, Best> best;
    std::set<std::string> emails;
    for (const auto& [time, change] : changes) {
        if (change.status == RowStatus::uploaded) {
            best[time] = {};
            emails.insert(change.email);
        }
    }
    if (best.empty()) {
        return PreviousWeights{};
    }
    auto reader = fs::LineReader::open(path);
    if (!reader) {
        return reader.error();
    }
    fs::Line line;
    while (reader->next(line)) {
        auto row = MiscaleRow::parse(line.text);
        if (!row || !is_complete(row->status()) || !row->email() ||
            !emails.contains(std::string(*row->email()))) {
            continue;
        }
        for (auto& [time, candidate] : best) {
            const auto& change = changes.at(time);
            if (change.email == *row->email() && row->unix_time() < time &&
                row->unix_time() >= candidate.time) {
                candidate = {row->unix_time(), row->weight_text()};
            }
        }
    }
    if (reader->error()) {
        return *reader->error();
    }
    // Rows of this batch count for the later rows of the same user.
    for (auto& [time, candidate] : best) {
        for (const auto& [other_time, other] : changes) {
            if (other.status == RowStatus::uploaded && other.email == changes.at(time).email &&
                other_time < time && other_time >= candidate.time && other.composition) {
                candidate = {other_time, format_fixed(other.composition->weight, 1)};
            }
        }
    }
    PreviousWeights result;
    for (auto& [time, candidate] : best) {
        result[time] = std::move(candidate.weight);
    }
    return result;
}

// Streams `path` into its replacement, asking `change_line` for each line's new text (nullopt: keep).
template <class ChangeLine>
Result<void> rewrite_lines(const std::filesystem::path& path, fs::FileSync& sync, ChangeLine change_line)
{
    auto reader = fs::LineReader::open(path);
    if (!reader) {
        return reader.error();
    }
    auto writer = fs::AtomicFileWriter::begin(path, {}, sync);
    if (!writer) {
        return writer.error();
    }
    fs::Line line;
    while (reader->next(line)) {
        const auto changed = change_line(line.text);
        if (auto written = writer->write(changed ? *changed : line.text); !written) {
            return written;
        }
        if (auto written = writer->write(line.ending); !written) {
            return written;
        }
    }
    if (reader->error()) {
        return *reader->error();
    }
    return writer->commit();
}

// Logs the changes whose row was not found (someone edited the file) and forgets them.
template <class Changes>
void forget_unapplied(Changes& changes, const std::set<RowTime>& applied, const std::filesystem::path& path)
{
    for (const auto& [time, change] : changes) {
        if (!applied.contains(time)) {
            logger()->warn("row to update not found, left as it is path={} row={} status={}", path.string(),
                           time, status_word(change.status));
        }
    }
    changes.clear();
}

}  // namespace

Result<void> MeasurementStore::flush_scale()
{
    if (m_scale_changes.empty()) {
        return {};
    }
    const auto& path = m_scale.file.path();
    auto previous = previous_weights(path, m_scale_changes);
    if (!previous) {
        return previous.error();
    }
    std::set<RowTime> applied;
    std::map<RowTime, std::pair<std::string, std::string>> new_latest;  // email → (T, weight) updates
    auto rewritten =
        rewrite_lines(path, m_scale.file.sync(), [&](const std::string& text) -> std::optional<std::string> {
            auto row = MiscaleRow::parse(text);
            if (!row) {
                return std::nullopt;
            }
            const auto found = m_scale_changes.find(row->unix_time());
            if (found == m_scale_changes.end() || applied.contains(row->unix_time())) {
                return std::nullopt;
            }
            const Change& change = found->second;
            Result<MiscaleRow> updated = make_error("");
            if (change.status == RowStatus::failed && row->status() == RowStatus::to_import) {
                updated = row->with_status(RowStatus::failed);
            } else if (change.status == RowStatus::uploaded && is_pending(row->status()) &&
                       change.composition) {
                const auto& reference = previous->at(row->unix_time());
                updated = make_uploaded_row(
                    *row, {*change.composition, change.email, change.measured_at, change.uploaded_at},
                    reference ? std::optional<std::string_view>(*reference) : std::nullopt);
            } else if (change.status == RowStatus::uploaded && row->status() == RowStatus::local) {
                updated = mark_local_row_uploaded(*row, change.uploaded_at);
            } else {
                return std::nullopt;
            }
            if (!updated) {
                logger()->error("row not updated: {} row={}", updated.error().message, row->unix_time());
                return std::nullopt;
            }
            applied.insert(row->unix_time());
            return updated->text();
        });
    if (!rewritten) {
        return rewritten.error();
    }
    for (const auto& [time, change] : m_scale_changes) {
        if (applied.contains(time) && change.status == RowStatus::uploaded && change.composition) {
            auto& latest = m_latest_weight[change.email];
            if (time >= latest.first) {
                latest = {time, format_fixed(change.composition->weight, 1)};
            }
        }
    }
    forget_unapplied(m_scale_changes, applied, path);
    return {};
}

Result<void> MeasurementStore::flush_blood_pressure()
{
    if (m_blood_pressure_changes.empty()) {
        return {};
    }
    const auto& path = m_blood_pressure.file.path();
    std::set<RowTime> applied;
    auto rewritten = rewrite_lines(
        path, m_blood_pressure.file.sync(), [&](const std::string& text) -> std::optional<std::string> {
            const auto row = parse_omron_row(text);
            if (!row) {
                return std::nullopt;
            }
            const auto found = m_blood_pressure_changes.find(row->unix_time);
            if (found == m_blood_pressure_changes.end() || applied.contains(row->unix_time)) {
                return std::nullopt;
            }
            const Change& change = found->second;
            std::string updated;
            if (change.status == RowStatus::failed && row->status == RowStatus::to_import) {
                updated = omron_row_with_status(*row, RowStatus::failed);
            } else if (change.status == RowStatus::uploaded &&
                       (is_pending(row->status) || row->status == RowStatus::local)) {
                updated =
                    make_uploaded_omron_row(*row, change.uploaded_at, m_options.blood_pressure_standard);
            } else {
                return std::nullopt;
            }
            applied.insert(row->unix_time);
            return updated;
        });
    if (!rewritten) {
        return rewritten.error();
    }
    forget_unapplied(m_blood_pressure_changes, applied, path);
    return {};
}

}  // namespace ble2garmin::store
