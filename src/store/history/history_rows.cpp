#include "store/history/history_rows.hpp"

#include <charconv>
#include <string_view>

#include "fs/line_reader.hpp"
#include "store/miscale/miscale_row.hpp"
#include "store/omron/omron_row.hpp"

namespace ble2garmin::store {
namespace {

// Columns of export2garmin's complete scale row, the same in the legacy layout up to Visceral
// (store/miscale/miscale_row.hpp).
constexpr std::size_t k_bmi = 6;
constexpr std::size_t k_fat = 7;
constexpr std::size_t k_muscle = 8;
constexpr std::size_t k_water = 10;
constexpr std::size_t k_visceral = 12;

std::optional<double> number(const std::vector<std::string>& fields, std::size_t index)
{
    if (index >= fields.size() || fields[index].empty()) {
        return std::nullopt;
    }
    const std::string& text = fields[index];
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

template <typename Parse>
Result<HistoryReadSummary> read_rows(const std::filesystem::path& path, Parse parse)
{
    auto reader = fs::LineReader::open(path);
    if (!reader) {
        return reader.error();
    }
    HistoryReadSummary summary;
    summary.exists = reader->exists();
    fs::Line line;
    while (reader->next(line)) {
        if (parse(line.text)) {
            ++summary.rows;
        } else {
            ++summary.skipped_lines;
        }
    }
    if (reader->error()) {
        return *reader->error();
    }
    return summary;
}

}  // namespace

Result<HistoryReadSummary> read_scale_history(const std::filesystem::path& path,
                                              const std::function<void(const ScaleHistoryRow&)>& row)
{
    ScaleHistoryRow history;  // reused: its strings keep their capacity
    return read_rows(path, [&](std::string_view text) {
        auto parsed = MiscaleRow::parse(text);
        if (!parsed) {
            return false;
        }
        history.status = parsed->status();
        history.unix_time = parsed->unix_time();
        history.weight_kg = parsed->weight_kg();
        const bool complete = parsed->layout() != RowLayout::pending;
        const auto& fields = parsed->fields();
        history.bmi = complete ? number(fields, k_bmi) : std::nullopt;
        history.body_fat_percent = complete ? number(fields, k_fat) : std::nullopt;
        history.muscle_kg = complete ? number(fields, k_muscle) : std::nullopt;
        history.water_percent = complete ? number(fields, k_water) : std::nullopt;
        history.visceral_fat = complete ? number(fields, k_visceral) : std::nullopt;
        const auto email = parsed->email();
        history.account.assign(email ? *email : std::string_view{});
        row(history);
        return true;
    });
}

Result<HistoryReadSummary> read_blood_pressure_history(
    const std::filesystem::path& path, const std::function<void(const BloodPressureHistoryRow&)>& row)
{
    BloodPressureHistoryRow history;
    return read_rows(path, [&](std::string_view text) {
        auto parsed = parse_omron_row(text);
        if (!parsed) {
            return false;
        }
        history.status = parsed->status;
        history.unix_time = parsed->unix_time;
        history.systolic = parsed->systolic;
        history.diastolic = parsed->diastolic;
        history.pulse = parsed->pulse;
        history.account = std::move(parsed->email);
        row(history);
        return true;
    });
}

Result<HistoryReadSummary> read_scale_rows(const std::filesystem::path& path,
                                           const std::function<void(const MiscaleRow&)>& row)
{
    return read_rows(path, [&](std::string_view text) {
        auto parsed = MiscaleRow::parse(text);
        if (!parsed) {
            return false;
        }
        row(*parsed);
        return true;
    });
}

Result<HistoryReadSummary> read_blood_pressure_rows(const std::filesystem::path& path,
                                                    const std::function<void(const OmronRow&)>& row)
{
    return read_rows(path, [&](std::string_view text) {
        auto parsed = parse_omron_row(text);
        if (!parsed) {
            return false;
        }
        row(*parsed);
        return true;
    });
}

}  // namespace ble2garmin::store
