#include "store/omron_backup.hpp"

#include <algorithm>
#include <charconv>

#include "store/csv_text.hpp"
#include "util/time.hpp"

namespace ble2garmin::store {
namespace {

constexpr std::size_t k_pending_fields = 10;

std::optional<std::int64_t> integer(std::string_view text)
{
    std::int64_t value = 0;
    const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || parsed.ec != std::errc{} || parsed.ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<OmronPendingRow> parse_pending(std::string_view line)
{
    const auto fields = split_fields(line);
    if (fields.size() != k_pending_fields) {
        return std::nullopt;
    }
    const auto status = parse_status(fields[0]);
    const auto time = integer(fields[1]);
    const auto systolic = integer(fields[4]);
    const auto diastolic = integer(fields[5]);
    const auto pulse = integer(fields[6]);
    if (!status || !is_pending(*status) || !time || !systolic || !diastolic || !pulse) {
        return std::nullopt;
    }
    OmronPendingRow row;
    row.status = *status;
    row.unix_time = *time;
    row.systolic = static_cast<int>(*systolic);
    row.diastolic = static_cast<int>(*diastolic);
    row.pulse = static_cast<int>(*pulse);
    row.email = std::string(fields[9]);
    for (const auto field : fields) {
        row.fields.emplace_back(field);
    }
    return row;
}

}  // namespace

std::string_view omron_header()
{
    return "Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];SYStolic [mmHg];DIAstolic [mmHg];"
           "Heart Rate [bpm];Category;MOV;IHB;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];"
           "Difference Time [s]";
}

std::string_view blood_pressure_category(int sys, int dia, std::string_view standard)
{
    if (standard == "us") {
        if (sys < 120 && dia < 80) {
            return "Normal";
        }
        if (sys >= 120 && sys <= 129 && dia < 80) {
            return "High-Normal";
        }
        if ((sys >= 130 && sys <= 139) || (dia >= 80 && dia <= 89)) {
            return "Grade_1";
        }
        if (sys >= 140 || dia >= 90) {
            return "Grade_2";
        }
        return "None";
    }
    if (sys < 130 && dia < 85) {
        return "Normal";
    }
    if ((sys >= 130 && sys <= 139 && dia < 85) || (sys < 130 && dia >= 85 && dia <= 89)) {
        return "High-Normal";
    }
    if ((sys >= 140 && sys <= 159 && dia < 90) || (sys < 140 && dia >= 90 && dia <= 99)) {
        return "Grade_1";
    }
    if ((sys >= 160 && sys <= 179 && dia < 100) || (sys < 160 && dia >= 100 && dia <= 109)) {
        return "Grade_2";
    }
    return "None";
}

std::string make_uploaded_omron_row(const OmronPendingRow& pending, SystemTime uploaded_at,
                                    std::string_view standard)
{
    // uploaded;T;date;time;SYS;DIA;BPM;Category;MOV;IHB;email;UploadDate;UploadTime;Diff
    const auto& f = pending.fields;
    const LocalDateTime upload = to_local(uploaded_at);
    std::vector<std::string> fields{
        "uploaded",  f[1],
        f[2],        f[3],
        f[4],        f[5],
        f[6],        std::string(blood_pressure_category(pending.systolic, pending.diastolic, standard)),
        f[7],        f[8],
        f[9],        upload.date,
        upload.time, std::to_string(to_unix_seconds(uploaded_at) - pending.unix_time)};
    return join_fields(fields);
}

Result<OmronBackup> OmronBackup::open(std::filesystem::path path)
{
    OmronBackup backup{CsvFile(std::move(path))};
    auto text = backup.m_file.read();
    if (!text) {
        return text.error();
    }
    if (*text) {
        for (const auto line : split_lines(**text)) {
            backup.m_lines.emplace_back(line);
        }
    }
    return backup;
}

std::vector<OmronPendingRow> OmronBackup::pending() const
{
    std::vector<OmronPendingRow> rows;
    for (const auto& line : m_lines) {
        if (auto row = parse_pending(line)) {
            rows.push_back(std::move(*row));
        }
    }
    std::stable_sort(rows.begin(), rows.end(), [](const OmronPendingRow& a, const OmronPendingRow& b) {
        return a.unix_time < b.unix_time;
    });
    return rows;
}

std::optional<std::size_t> OmronBackup::find_pending(std::int64_t unix_time) const
{
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        if (const auto row = parse_pending(m_lines[i]); row && row->unix_time == unix_time) {
            return i;
        }
    }
    return std::nullopt;
}

Result<void> OmronBackup::replace_line(std::size_t index, std::string line)
{
    std::vector<std::string> updated = m_lines;
    updated[index] = std::move(line);
    std::string text;
    for (const auto& each : updated) {
        text += each;
        text += '\n';
    }
    if (auto replaced = m_file.replace(text); !replaced) {
        return replaced;
    }
    m_lines = std::move(updated);
    return {};
}

Result<void> OmronBackup::mark_failed(std::int64_t unix_time)
{
    const auto index = find_pending(unix_time);
    if (!index) {
        return make_error("no to_import or failed blood-pressure row with Unix time " +
                          std::to_string(unix_time));
    }
    auto row = *parse_pending(m_lines[*index]);
    if (row.status == RowStatus::failed) {
        return {};
    }
    row.fields[0] = std::string(status_word(RowStatus::failed));
    return replace_line(*index, join_fields(row.fields));
}

Result<void> OmronBackup::mark_uploaded(std::int64_t unix_time, SystemTime uploaded_at)
{
    const auto index = find_pending(unix_time);
    if (!index) {
        return make_error("no to_import or failed blood-pressure row with Unix time " +
                          std::to_string(unix_time));
    }
    return replace_line(*index, make_uploaded_omron_row(*parse_pending(m_lines[*index]), uploaded_at));
}

}  // namespace ble2garmin::store
