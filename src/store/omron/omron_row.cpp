#include "store/omron/omron_row.hpp"

#include "store/csv_text.hpp"
#include "store/number_format.hpp"
#include "util/time.hpp"

namespace ble2garmin::store {
namespace {

constexpr std::size_t k_pending_fields = 10;
constexpr std::size_t k_complete_fields = 14;
// Field positions of the complete layout; the pending one has no Category (7) and stops at email.
constexpr std::size_t k_pending_email = 9;
constexpr std::size_t k_complete_email = 10;

}  // namespace

std::string_view omron_header()
{
    return "Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];SYStolic [mmHg];DIAstolic [mmHg];"
           "Heart Rate [bpm];Category;MOV;IHB;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];"
           "Difference Time [s]";
}

std::string_view blood_pressure_category(int sys, int dia, std::string_view standard)
{
    if (standard == k_category_us) {
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

std::optional<OmronRow> parse_omron_row(std::string_view line)
{
    const auto fields = split_fields(line);
    const auto status = parse_status(fields[0]);
    if (!status || (fields.size() != k_pending_fields && fields.size() != k_complete_fields) ||
        (fields.size() == k_complete_fields) != is_complete(*status)) {
        return std::nullopt;
    }
    const auto time = parse_unix_time(fields[1]);
    const auto systolic = parse_integer(fields[4]);
    const auto diastolic = parse_integer(fields[5]);
    const auto pulse = parse_integer(fields[6]);
    if (!time || !systolic || !diastolic || !pulse || *systolic > 1000 || *diastolic > 1000 ||
        *pulse > 1000 || *systolic < 0 || *diastolic < 0 || *pulse < 0) {
        return std::nullopt;
    }
    OmronRow row;
    row.status = *status;
    row.unix_time = *time;
    row.systolic = static_cast<int>(*systolic);
    row.diastolic = static_cast<int>(*diastolic);
    row.pulse = static_cast<int>(*pulse);
    row.email = std::string(fields[fields.size() == k_pending_fields ? k_pending_email : k_complete_email]);
    for (const auto field : fields) {
        row.fields.emplace_back(field);
    }
    return row;
}

std::string format_new_omron_row(RowStatus status, std::int64_t unix_time,
                                 const BloodPressureReading& reading, std::string_view email,
                                 std::string_view standard)
{
    const LocalDateTime measured = to_local(from_unix_seconds(unix_time));
    std::vector<std::string> fields{std::string(status_word(status)),
                                    std::to_string(unix_time),
                                    measured.date,
                                    measured.time,
                                    std::to_string(reading.systolic_mmhg),
                                    std::to_string(reading.diastolic_mmhg),
                                    std::to_string(reading.pulse_bpm)};
    if (is_complete(status)) {
        fields.emplace_back(blood_pressure_category(reading.systolic_mmhg, reading.diastolic_mmhg, standard));
    }
    fields.push_back(reading.movement ? "1" : "0");
    fields.push_back(reading.irregular_heartbeat ? "1" : "0");
    fields.emplace_back(email);
    if (is_complete(status)) {
        fields.insert(fields.end(), 3, std::string());
    }
    return join_fields(fields);
}

std::string omron_row_with_status(const OmronRow& pending, RowStatus status)
{
    std::vector<std::string> fields = pending.fields;
    fields[0] = std::string(status_word(status));
    return join_fields(fields);
}

std::string make_uploaded_omron_row(const OmronRow& row, SystemTime uploaded_at, std::string_view standard)
{
    const LocalDateTime upload = to_local(uploaded_at);
    const std::string difference = std::to_string(to_unix_seconds(uploaded_at) - row.unix_time);
    const auto& f = row.fields;
    if (row.complete()) {
        std::vector<std::string> fields = f;
        fields[0] = std::string(status_word(RowStatus::uploaded));
        fields[11] = upload.date;
        fields[12] = upload.time;
        fields[13] = difference;
        return join_fields(fields);
    }
    // uploaded;T;date;time;SYS;DIA;BPM;Category;MOV;IHB;email;UploadDate;UploadTime;Diff
    return join_fields({std::string(status_word(RowStatus::uploaded)), f[1], f[2], f[3], f[4], f[5], f[6],
                        std::string(blood_pressure_category(row.systolic, row.diastolic, standard)), f[7],
                        f[8], f[9], upload.date, upload.time, difference});
}

}  // namespace ble2garmin::store
