#include "report/html_report.hpp"

#include <memory>
#include <vector>

#include <fmt/format.h>

#include "fs/atomic_file.hpp"
#include "pipeline/store_setup.hpp"
#include "report/html_text.hpp"
#include "report/report_style.hpp"
#include "report/svg_chart.hpp"
#include "report/user_history.hpp"
#include "store/history/row_owners.hpp"
#include "store/measurement_journal.hpp"
#include "store/omron/omron_row.hpp"
#include "util/time.hpp"

namespace ble2garmin::report {
namespace {

// One user's collected history.
struct UserReport {
    std::size_t index = 0;  // into config.users
    TimeRange scale_range;
    TimeRange blood_pressure_range;
    std::unique_ptr<ScaleHistory> scale;
    std::unique_ptr<BloodPressureHistory> blood_pressure;
};

std::string local_stamp(std::int64_t unix_time)
{
    std::string text = format_iso_naive_local(from_unix_seconds(unix_time));
    text[10] = ' ';
    return text.substr(0, 16);
}

std::string optional_value(const std::optional<double>& value, int decimals)
{
    return value ? format_value(*value, decimals) : "";
}

// The BMI classes of the WHO as weights for the user's height: BMI × height².
std::vector<ChartBand> bmi_bands(const User& user)
{
    const double square = (user.height_cm / 100) * (user.height_cm / 100);
    if (square <= 0) {
        return {};
    }
    return {{0, 18.5 * square, "underweight (BMI < 18.5)", "#cfe3f7"},
            {18.5 * square, 25 * square, "normal (BMI 18.5–25)", "#d5efd5"},
            {25 * square, 30 * square, "overweight (BMI 25–30)", "#fbeec8"},
            {30 * square, 1000, "obese (BMI ≥ 30)", "#f8d3cf"}};
}

// The systolic edges of export2garmin's categories (store/omron/omron_row.cpp): a band is where the
// systolic value alone decides, the diastolic can raise a reading further (the table says).
std::vector<ChartBand> blood_pressure_bands(const std::string& standard)
{
    if (standard == store::k_category_us) {
        return {{0, 120, "Normal", "#d5efd5"},
                {120, 130, "High-Normal (elevated)", "#eef6c8"},
                {130, 140, "Grade_1 (stage 1)", "#fbeec8"},
                {140, 400, "Grade_2 (stage 2)", "#f8d3cf"}};
    }
    return {{0, 130, "Normal", "#d5efd5"},
            {130, 140, "High-Normal", "#eef6c8"},
            {140, 160, "Grade_1", "#fbeec8"},
            {160, 180, "Grade_2", "#f8d3cf"},
            {180, 400, "Grade_3", "#f1b5ae"}};
}

std::string status_cell(store::RowStatus status)
{
    const auto word = store::status_word(status);
    return fmt::format(R"(<td class="status {0}">{0}</td>)", word);
}

class Writer {
public:
    explicit Writer(fs::AtomicFileWriter& file) : m_file(file) {}
    void operator()(std::string_view text)
    {
        if (m_ok) {
            if (auto written = m_file.write(text); !written) {
                m_error = written.error();
                m_ok = false;
            }
            m_bytes += text.size();
        }
    }
    const std::optional<Error>& error() const { return m_error; }
    std::size_t bytes() const { return m_bytes; }

private:
    fs::AtomicFileWriter& m_file;
    bool m_ok = true;
    std::optional<Error> m_error;
    std::size_t m_bytes = 0;
};

void write_scale(Writer& out, const User& user, const ScaleHistory& scale)
{
    if (scale.last_rows.empty() || !scale.first_row) {
        return;  // the backup lost the rows between two passes (replaced by hand): nothing to draw
    }
    const auto& latest = scale.last_rows.back();
    const auto& first = *scale.first_row;
    out(fmt::format("<p class=\"summary\">{} weighings from {} to {}; latest {} kg", scale.range().rows,
                    local_stamp(first.unix_time), local_stamp(latest.unix_time),
                    format_value(latest.weight_kg, 1)));
    if (latest.bmi) {
        out(fmt::format(" (BMI {})", format_value(*latest.bmi, 1)));
    }
    out(fmt::format(", {:+.1f} kg since the first.</p>\n", latest.weight_kg - first.weight_kg));

    out("<div class=\"charts\">");
    const auto bands = bmi_bands(user);
    ChartSpec weight{
        "Weight", "kg", bands, {{"weight", "#1f6fb2", &scale.weight, true, &scale.weight_average}}, {}, {}};
    out(render_chart(weight));
    ChartSpec fat{"Body fat", "%",
                  {},         {{"body fat", "#b2561f", &scale.body_fat, true, &scale.body_fat_average}},
                  {},         {}};
    out(render_chart(fat));
    out(render_chart({"Muscle", "kg", {}, {{"muscle", "#2f8f4e", &scale.muscle, false, nullptr}}, {}, {}}));
    out(render_chart({"Water", "%", {}, {{"water", "#2a7fa8", &scale.water, false, nullptr}}, {}, {}}));
    out(render_chart({"Visceral fat",
                      "level",
                      {},
                      {{"visceral fat", "#8a4fa8", &scale.visceral, false, nullptr}},
                      {},
                      {}}));
    out("</div>\n");

    out("<h3>Last weighings</h3><div class=\"scroll\"><table><thead><tr><th>When</th><th>kg</th><th>BMI</th>"
        "<th>Fat %</th><th>Muscle kg</th><th>Water "
        "%</th><th>Visceral</th><th>Upload</th></tr></thead><tbody>\n");
    for (auto row = scale.last_rows.rbegin(); row != scale.last_rows.rend(); ++row) {
        out(fmt::format(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>\n",
            local_stamp(row->unix_time), format_value(row->weight_kg, 1), optional_value(row->bmi, 1),
            optional_value(row->body_fat_percent, 1), optional_value(row->muscle_kg, 1),
            optional_value(row->water_percent, 1), optional_value(row->visceral_fat, 0),
            status_cell(row->status)));
    }
    out("</tbody></table></div>\n");
}

void write_blood_pressure(Writer& out, const BloodPressureHistory& pressure)
{
    out(fmt::format(
        "<p class=\"summary\">{} blood-pressure readings; categories ({}):", pressure.range().rows,
        pressure.standard() == store::k_category_us
            ? "ACC/AHA 2017, [storage] blood_pressure_category = us"
            : "ESC/ESH 2018, [storage] blood_pressure_category = eu"));
    for (const auto& [category, count] : pressure.categories) {
        out(fmt::format(" {} {}", html_escape(category == "None" ? "None (beyond the tables)" : category),
                        count));
        out(category == pressure.categories.rbegin()->first ? "" : ",");
    }
    out(".</p>\n");
    out("<div class=\"charts\">");
    ChartSpec chart{"Blood pressure",
                    "mmHg",
                    blood_pressure_bands(pressure.standard()),
                    {{"systolic", "#c0392b", &pressure.systolic, true, nullptr},
                     {"diastolic", "#2c3e90", &pressure.diastolic, true, nullptr}},
                    {},
                    {}};
    out(render_chart(chart));
    out(render_chart({"Pulse", "bpm", {}, {{"pulse", "#7a5c2e", &pressure.pulse, false, nullptr}}, {}, {}}));
    out("</div>\n");
    out("<h3>Last blood-pressure readings</h3><div "
        "class=\"scroll\"><table><thead><tr><th>When</th><th>SYS</th>"
        "<th>DIA</th><th>Pulse</th><th>Category</th><th>Upload</th></tr></thead><tbody>\n");
    for (auto row = pressure.last_rows.rbegin(); row != pressure.last_rows.rend(); ++row) {
        out(fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>\n",
                        local_stamp(row->unix_time), row->systolic, row->diastolic, row->pulse,
                        store::blood_pressure_category(row->systolic, row->diastolic, pressure.standard()),
                        status_cell(row->status)));
    }
    out("</tbody></table></div>\n");
}

}  // namespace

Result<ReportSummary> write_report(const Config& config, const ReportOptions& options)
{
    std::vector<UserReport> users;
    for (std::size_t index = 0; index < config.users.size(); ++index) {
        if (options.user.empty() || config.users[index].name == options.user) {
            users.push_back({index, {}, {}, nullptr, nullptr});
        }
    }
    if (users.empty()) {
        return make_error(options.user.empty() ? "the configuration has no [[users]]"
                                               : "no user named '" + options.user + "' in the configuration");
    }
    auto owners = store::RowOwners::open(config.users, config.general.state_directory / store::k_journal_file,
                                         pipeline::owner_by_weight(config.users));
    if (!owners) {
        return owners.error();
    }
    const std::int64_t since = options.since ? to_unix_seconds(*options.since) : INT64_MIN;
    // The report of each row's owner, when that user is in the report and the row in the period.
    const auto report_of = [&](const auto& row) -> UserReport* {
        if (row.unix_time < since) {
            return nullptr;
        }
        const auto owner = owners->owner(row);
        for (auto& user : users) {
            if (owner && user.index == *owner) {
                return &user;
            }
        }
        return nullptr;
    };
    const auto scale_csv = config.miscale_csv_path();
    const auto pressure_csv = config.omron_csv_path();

    // Pass one: the time ranges.
    auto scale_pass = store::read_scale_history(scale_csv, [&](const store::ScaleHistoryRow& row) {
        if (auto* user = report_of(row)) {
            user->scale_range.add(row.unix_time);
        }
    });
    if (!scale_pass) {
        return scale_pass.error();
    }
    auto pressure_pass =
        store::read_blood_pressure_history(pressure_csv, [&](const store::BloodPressureHistoryRow& row) {
            if (auto* user = report_of(row)) {
                user->blood_pressure_range.add(row.unix_time);
            }
        });
    if (!pressure_pass) {
        return pressure_pass.error();
    }
    // Pass two: the buckets and the tables.
    for (auto& user : users) {
        if (user.scale_range.rows > 0) {
            user.scale = std::make_unique<ScaleHistory>(user.scale_range);
        }
        if (user.blood_pressure_range.rows > 0) {
            user.blood_pressure = std::make_unique<BloodPressureHistory>(
                user.blood_pressure_range, config.storage.blood_pressure_category);
        }
    }
    scale_pass = store::read_scale_history(scale_csv, [&](const store::ScaleHistoryRow& row) {
        if (auto* user = report_of(row); user != nullptr && user->scale) {
            user->scale->add(row);
        }
    });
    if (!scale_pass) {
        return scale_pass.error();
    }
    pressure_pass =
        store::read_blood_pressure_history(pressure_csv, [&](const store::BloodPressureHistoryRow& row) {
            if (auto* user = report_of(row); user != nullptr && user->blood_pressure) {
                user->blood_pressure->add(row);
            }
        });
    if (!pressure_pass) {
        return pressure_pass.error();
    }

    auto file = fs::AtomicFileWriter::begin(options.output, {fs::k_private_file_mode});
    if (!file) {
        return file.error();
    }
    Writer out(*file);
    ReportSummary summary;
    out(report_page_head(local_stamp(to_unix_seconds(options.now))));
    out("<nav>");
    for (const auto& user : users) {
        const auto& name = config.users[user.index].name;
        out(fmt::format(R"(<a href="#user-{}">{}</a> )", user.index, html_escape(name)));
    }
    out("</nav>\n");
    for (auto& user : users) {
        const User& person = config.users[user.index];
        ++summary.users;
        summary.scale_rows += user.scale_range.rows;
        summary.blood_pressure_rows += user.blood_pressure_range.rows;
        out(fmt::format("<section id=\"user-{}\"><h2>{}</h2>\n", user.index, html_escape(person.name)));
        if (!user.scale && !user.blood_pressure) {
            out("<p class=\"empty\">No measurements in this period.</p></section>\n");
            continue;
        }
        if (user.scale) {
            write_scale(out, person, *user.scale);
        }
        if (user.blood_pressure) {
            write_blood_pressure(out, *user.blood_pressure);
        }
        // Pass three, per user: every row of the period as CSV, streamed into the link.
        const std::string file_name = "ble2garmin-" + person.name + ".csv";
        out(fmt::format(R"(<p class="download"><a download="{}" href="data:text/csv;charset=utf-8,)",
                        html_escape(uri_escape(file_name))));
        std::string line;
        if (user.scale) {
            out(uri_escape(
                "time,weight_kg,bmi,body_fat_percent,muscle_kg,water_percent,visceral_fat,status\n"));
            scale_pass = store::read_scale_history(scale_csv, [&](const store::ScaleHistoryRow& row) {
                if (report_of(row) == &user) {
                    line = fmt::format("{},{},{},{},{},{},{},{}\n",
                                       format_iso_utc(from_unix_seconds(row.unix_time)),
                                       format_value(row.weight_kg, 2), optional_value(row.bmi, 1),
                                       optional_value(row.body_fat_percent, 1),
                                       optional_value(row.muscle_kg, 2), optional_value(row.water_percent, 1),
                                       optional_value(row.visceral_fat, 1), store::status_word(row.status));
                    out(uri_escape(line));
                }
            });
            if (!scale_pass) {
                return scale_pass.error();
            }
        }
        if (user.blood_pressure) {
            out(uri_escape("time,systolic_mmhg,diastolic_mmhg,pulse_bpm,category,status\n"));
            pressure_pass = store::read_blood_pressure_history(
                pressure_csv, [&](const store::BloodPressureHistoryRow& row) {
                    if (report_of(row) == &user) {
                        line = fmt::format(
                            "{},{},{},{},{},{}\n", format_iso_utc(from_unix_seconds(row.unix_time)),
                            row.systolic, row.diastolic, row.pulse,
                            store::blood_pressure_category(row.systolic, row.diastolic,
                                                           config.storage.blood_pressure_category),
                            store::status_word(row.status));
                        out(uri_escape(line));
                    }
                });
            if (!pressure_pass) {
                return pressure_pass.error();
            }
        }
        out(fmt::format("\">Every reading of {} in this period as CSV</a> ({} rows)</p></section>\n",
                        html_escape(person.name), user.scale_range.rows + user.blood_pressure_range.rows));
    }
    out(report_page_tail());
    if (out.error()) {
        return *out.error();
    }
    if (auto committed = file->commit(); !committed) {
        return committed.error();
    }
    summary.bytes = out.bytes();
    return summary;
}

}  // namespace ble2garmin::report
