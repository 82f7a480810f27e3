#pragma once
// One time chart as inline SVG: a value axis with round ticks, a time axis with month or year labels,
// horizontal bands (BMI classes, blood-pressure categories) behind the data, and per series the
// bucket means as a line (broken where buckets are empty), optionally the min–max spread as a light
// area and a moving average as a dashed line. The SVG has a viewBox and no fixed size, so the page
// scales it to the screen (a 390 px phone or a desktop).

#include <optional>
#include <string>
#include <vector>

#include "report/time_buckets.hpp"

namespace ble2garmin::report {

struct ChartBand {
    double from = 0;  // value axis, the band's lower edge
    double to = 0;    // its upper edge
    std::string label;
    std::string colour;  // CSS colour
};

struct ChartSeries {
    std::string label;
    std::string colour;
    const TimeBuckets* values = nullptr;   // bucket means drawn as a line
    bool spread = true;                    // draw min–max per bucket as a light area
    const TimeBuckets* average = nullptr;  // moving average (dashed), optional
};

struct ChartSpec {
    std::string title;
    std::string unit;  // of the value axis ("kg", "%", "mmHg")
    std::vector<ChartBand> bands;
    std::vector<ChartSeries> series;
    // Values the axis must include besides the data (e.g. a band edge near the data); optional.
    std::optional<double> include_low;
    std::optional<double> include_high;
};

// The <figure> with the chart, or a line saying there is nothing to draw.
std::string render_chart(const ChartSpec& spec);

// A value with at most `decimals` decimals, trailing zeros dropped ("55.2", "120").
std::string format_value(double value, int decimals);

}  // namespace ble2garmin::report
