#include "rowing/convert.hpp"

#include <cstdio>
#include <ctime>

#include "fit/activity_file.hpp"
#include "rowing/tcx_reader.hpp"

namespace ble2garmin::rowing {

namespace {

Result<ConvertedActivity> convert(const Result<Workout>& workout, ActivityOptions options)
{
    if (!workout) {
        return workout.error();
    }
    auto first = build_activity(*workout, options);
    if (!first) {
        return first.error();
    }
    // The offset depends on the session's own date (summer time), known only once built.
    options.utc_offset_s = local_utc_offset_s(first->session.start);
    first->utc_offset_s = options.utc_offset_s;
    const fit::ActivityFile& activity = *first;
    auto bytes = fit::encode_activity_file(activity);
    if (!bytes) {
        return bytes.error();
    }
    ConvertedActivity converted;
    converted.fit = std::move(*bytes);
    converted.start = activity.session.start;
    converted.timer_ms = activity.session.timer_ms;
    converted.distance_cm = activity.session.distance_cm;
    converted.laps = activity.laps.size();
    converted.strokes = activity.session.cycles;
    converted.calories = activity.session.calories;
    return converted;
}

}  // namespace

Result<ConvertedActivity> convert_tcx_file(const std::filesystem::path& tcx, ActivityOptions options)
{
    return convert(read_tcx_file(tcx), options);
}

Result<ConvertedActivity> convert_tcx_text(std::string_view tcx, ActivityOptions options)
{
    return convert(read_tcx_text(tcx), options);
}

std::string describe(const ConvertedActivity& activity)
{
    const std::int64_t seconds = (activity.timer_ms + 500) / 1000;
    char text[160];
    std::snprintf(text, sizeof text, "%.0f m in %lld:%02lld, %zu laps",
                  static_cast<double>(activity.distance_cm) / 100.0, static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60), activity.laps);
    std::string out = text;
    if (activity.strokes) {
        out += ", " + std::to_string(*activity.strokes) + " strokes";
    }
    if (activity.calories) {
        out += ", " + std::to_string(*activity.calories) + " kcal";
    }
    return out;
}

std::int32_t local_utc_offset_s(SystemTime time)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm local{};
    if (localtime_r(&seconds, &local) == nullptr) {
        return 0;
    }
    return static_cast<std::int32_t>(local.tm_gmtoff);
}

}  // namespace ble2garmin::rowing
