#pragma once
// TCX file → FIT activity bytes in one call: read (tcx_reader), build (activity_builder), encode
// (fit/activity_file). Shared by `ble2garmin rowing convert` and the daemon's watch folder.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

#include "rowing/activity_builder.hpp"

namespace ble2garmin::rowing {

struct ConvertedActivity {
    Bytes fit;
    SystemTime start;
    std::int64_t timer_ms = 0;
    std::int64_t distance_cm = 0;
    std::size_t laps = 0;
    std::optional<std::uint32_t> strokes;
    std::optional<int> calories;
};

// The FIT file of the TCX at `tcx`, local_timestamp in the process time zone (options.utc_offset_s
// is replaced). An Error "line N: …" for a malformed TCX, or what build/encode said.
Result<ConvertedActivity> convert_tcx_file(const std::filesystem::path& tcx, ActivityOptions options = {});
// The same for a TCX document in memory.
Result<ConvertedActivity> convert_tcx_text(std::string_view tcx, ActivityOptions options = {});

// "9999 m in 38:15, 20 laps, 849 strokes, 639 kcal"
std::string describe(const ConvertedActivity& activity);

// The process time zone's offset from UTC at `time`, in seconds (east positive).
std::int32_t local_utc_offset_s(SystemTime time);

}  // namespace ble2garmin::rowing
