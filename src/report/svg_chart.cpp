#include "report/svg_chart.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "report/html_text.hpp"
#include "util/time.hpp"

namespace ble2garmin::report {
namespace {

// The drawing's own coordinates (viewBox); the page scales them.
// 560 units: about the width a chart gets on screen (a phone column or one of two desktop columns),
// so the 14-unit text reads as about 14 px.
constexpr double k_width = 560;
constexpr double k_height = 280;
constexpr double k_left = 46;
constexpr double k_right = 8;
constexpr double k_top = 10;
constexpr double k_bottom = 30;

struct Axis {
    double low = 0;
    double high = 1;
    double step = 1;
};

// Round ticks: 1, 2 or 5 times a power of ten, about five of them.
Axis nice_axis(double low, double high)
{
    if (high - low < 1e-9) {
        low -= 1;
        high += 1;
    }
    const double raw = (high - low) / 5;
    const double power = std::pow(10, std::floor(std::log10(raw)));
    double step = power;
    for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
        step = factor * power;
        if (raw <= step) {
            break;
        }
    }
    return {std::floor(low / step) * step, std::ceil(high / step) * step, step};
}

class Plot {
public:
    Plot(std::int64_t first, std::int64_t last, Axis axis) : m_first(first), m_last(last), m_axis(axis) {}
    double x(double unix_time) const
    {
        const double span = std::max<double>(static_cast<double>(m_last - m_first), 1);
        return k_left + (unix_time - static_cast<double>(m_first)) / span * (k_width - k_left - k_right);
    }
    double y(double value) const
    {
        const double clamped = std::clamp(value, m_axis.low, m_axis.high);
        return k_height - k_bottom -
               (clamped - m_axis.low) / (m_axis.high - m_axis.low) * (k_height - k_top - k_bottom);
    }
    const Axis& axis() const { return m_axis; }

private:
    std::int64_t m_first;
    std::int64_t m_last;
    Axis m_axis;
};

std::string point(double x, double y)
{
    return fmt::format("{:.1f},{:.1f} ", x, y);
}

// The means as polylines, one per run of non-empty buckets.
std::string mean_lines(const Plot& plot, const TimeBuckets& values, const std::string& colour, bool dashed)
{
    std::string svg;
    std::string points;
    std::size_t in_run = 0;
    const auto close_run = [&] {
        if (in_run == 1) {  // a lone point: a dot
            const auto comma = points.find(',');
            svg += fmt::format(R"(<circle cx="{}" cy="{}" r="2.5" fill="{}"/>)", points.substr(0, comma),
                               points.substr(comma + 1, points.size() - comma - 2), colour);
        } else if (in_run > 1) {
            svg +=
                fmt::format(R"(<polyline fill="none" stroke="{}" stroke-width="{}"{} points="{}"/>)", colour,
                            dashed ? "1.5" : "2", dashed ? R"( stroke-dasharray="6 4")" : "", points);
        }
        points.clear();
        in_run = 0;
    };
    const auto& buckets = values.buckets();
    for (std::size_t index = 0; index < buckets.size(); ++index) {
        if (buckets[index].count == 0) {
            close_run();
            continue;
        }
        points += point(plot.x(values.bucket_time(index)), plot.y(buckets[index].mean()));
        ++in_run;
    }
    close_run();
    return svg;
}

// The min–max spread as one polygon per run of non-empty buckets.
std::string spread_areas(const Plot& plot, const TimeBuckets& values, const std::string& colour)
{
    std::string svg;
    const auto& buckets = values.buckets();
    std::size_t index = 0;
    while (index < buckets.size()) {
        if (buckets[index].count == 0) {
            ++index;
            continue;
        }
        const std::size_t start = index;
        while (index < buckets.size() && buckets[index].count != 0) {
            ++index;
        }
        std::string points;
        for (std::size_t i = start; i < index; ++i) {
            points += point(plot.x(values.bucket_time(i)), plot.y(buckets[i].max));
        }
        for (std::size_t i = index; i-- > start;) {
            points += point(plot.x(values.bucket_time(i)), plot.y(buckets[i].min));
        }
        svg += fmt::format(R"(<polygon fill="{}" fill-opacity="0.18" stroke="none" points="{}"/>)", colour,
                           points);
    }
    return svg;
}

// Labels on the time axis: every month or two under ~15 months ("03/25"), every half year up to
// four years ("01/25", "07/25"), else every year ("2025").
std::string time_axis(const Plot& plot, std::int64_t first, std::int64_t last)
{
    using namespace std::chrono;
    std::string svg;
    const std::int64_t days = (last - first) / 86400;
    const int step = days < 200 ? 1 : (days < 450 ? 2 : (days < 1500 ? 6 : 12));
    const auto start = to_local(from_unix_seconds(first)).ymd;
    // The first label: the month after the start that is a multiple of the step (January first).
    year_month month = start.year() / start.month();
    for (int guard = 0; guard < 400; ++guard) {
        month += months(1);
        if ((static_cast<unsigned>(month.month()) - 1) % static_cast<unsigned>(step) != 0) {
            continue;
        }
        // The label's place: midnight of the 1st in UTC is close enough at this scale.
        const auto unix_time = duration_cast<seconds>(sys_days(month / 1).time_since_epoch()).count();
        if (unix_time > last) {
            break;
        }
        const double x = plot.x(static_cast<double>(unix_time));
        const std::string label = step == 12
                                      ? fmt::format("{}", static_cast<int>(month.year()))
                                      : fmt::format("{:02}/{:02}", static_cast<unsigned>(month.month()),
                                                    static_cast<int>(month.year()) % 100);
        svg += fmt::format(R"(<line x1="{0:.1f}" x2="{0:.1f}" y1="{1}" y2="{2}" class="grid"/>)", x, k_top,
                           k_height - k_bottom);
        svg += fmt::format(R"(<text x="{:.1f}" y="{}" class="axis" text-anchor="middle">{}</text>)", x,
                           k_height - k_bottom + 18, label);
        month += months(step - 1);
    }
    return svg;
}

std::string value_axis(const Plot& plot)
{
    std::string svg;
    const Axis& axis = plot.axis();
    const int decimals = axis.step < 1 ? 1 : 0;
    for (double value = axis.low; value <= axis.high + axis.step / 2; value += axis.step) {
        const double y = plot.y(value);
        svg += fmt::format(R"(<line x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" class="grid"/>)", k_left,
                           k_width - k_right, y, y);
        svg += fmt::format(R"(<text x="{}" y="{:.1f}" class="axis" text-anchor="end">{}</text>)", k_left - 6,
                           y + 4, format_value(value, decimals));
    }
    return svg;
}

}  // namespace

std::string format_value(double value, int decimals)
{
    std::string text = fmt::format("{:.{}f}", value, decimals);
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0') {
            text.pop_back();
        }
        if (text.back() == '.') {
            text.pop_back();
        }
    }
    return text == "-0" ? "0" : text;
}

std::string render_chart(const ChartSpec& spec)
{
    std::optional<std::pair<double, double>> range;
    std::int64_t first = 0;
    std::int64_t last = 0;
    for (const auto& series : spec.series) {
        const auto values = series.values != nullptr ? series.values->value_range() : std::nullopt;
        if (!values) {
            continue;
        }
        range = range ? std::make_pair(std::min(range->first, values->first),
                                       std::max(range->second, values->second))
                      : *values;
        first = series.values->first();
        last = series.values->last();
    }
    if (!range) {
        return "<p class=\"empty\">" + html_escape(spec.title) + ": no values in this period.</p>\n";
    }
    double low = range->first;
    double high = range->second;
    if (spec.include_low) {
        low = std::min(low, *spec.include_low);
    }
    if (spec.include_high) {
        high = std::max(high, *spec.include_high);
    }
    const double margin = std::max((high - low) * 0.05, 0.5);
    const Plot plot(first, last, nice_axis(low - margin, high + margin));

    const std::string caption = spec.title + " (" + spec.unit + ")";
    std::string svg = fmt::format(
        R"(<figure><figcaption>{}</figcaption><svg viewBox="0 0 {} {}" role="img" aria-label="{}">)",
        html_escape(caption), k_width, k_height, html_escape(caption));
    const Axis& axis = plot.axis();
    for (const auto& band : spec.bands) {
        if (band.to <= axis.low || band.from >= axis.high) {
            continue;
        }
        const double top = plot.y(std::min(band.to, axis.high));
        const double bottom = plot.y(std::max(band.from, axis.low));
        svg += fmt::format(
            R"(<rect x="{}" y="{:.1f}" width="{}" height="{:.1f}" fill="{}" fill-opacity="0.35"/>)", k_left,
            top, k_width - k_left - k_right, bottom - top, band.colour);
    }
    svg += value_axis(plot);
    svg += time_axis(plot, first, last);
    for (const auto& series : spec.series) {
        if (series.values == nullptr) {
            continue;
        }
        if (series.spread) {
            svg += spread_areas(plot, *series.values, series.colour);
        }
        svg += mean_lines(plot, *series.values, series.colour, false);
        if (series.average != nullptr) {
            svg += mean_lines(plot, *series.average, series.colour, true);
        }
    }
    svg += "</svg><p class=\"legend\">";
    for (const auto& band : spec.bands) {
        if (band.to > axis.low && band.from < axis.high) {
            svg += fmt::format(R"(<span><b style="background:{}"></b>{}</span>)", band.colour,
                               html_escape(band.label));
        }
    }
    for (const auto& series : spec.series) {
        svg += fmt::format(R"(<span><i style="background:{}"></i>{}</span>)", series.colour,
                           html_escape(series.label));
        if (series.average != nullptr) {
            svg +=
                fmt::format(R"(<span><i class="dash" style="border-color:{}"></i>{}, 7-day average</span>)",
                            series.colour, html_escape(series.label));
        }
    }
    svg += "</p></figure>\n";
    return svg;
}

}  // namespace ble2garmin::report
