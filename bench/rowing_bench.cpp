// Converting a 2-hour indoor rowing session (7,200 trackpoints at 1 Hz, Coxswain's TCX layout with
// position, heart rate, cadence, speed and power) to a FIT activity: read, build, encode.
// Figures and the comparison with Coxswain2Fit: docs/performance.md.
//
//   bench_rowing                       the benchmark
//   bench_rowing --write-tcx FILE      writes the generated session, for timing the real binary
//                                      (`/usr/bin/time -v ble2garmin rowing convert FILE`)
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <benchmark/benchmark.h>

#include "fit/activity_file.hpp"
#include "rowing/activity_builder.hpp"
#include "rowing/tcx_reader.hpp"

namespace {

constexpr int k_seconds = 2 * 3600;

// A steady 2:05 /500 m (4 m/s) session with a slow heart-rate drift, written like Coxswain does.
std::string two_hour_session()
{
    std::string text =
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
        "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">\n"
        "  <Activities>\n    <Activity Sport=\"Other\">\n      <Id>2024-03-10T08:00:00.000Z</Id>\n"
        "      <Lap StartTime=\"2024-03-10T08:00:00.000Z\">\n        "
        "<TotalTimeSeconds>7200</TotalTimeSeconds>\n"
        "        <DistanceMeters>28800</DistanceMeters>\n        <Calories>1700</Calories>\n"
        "        <Intensity>Active</Intensity>\n        <TriggerMethod>Manual</TriggerMethod>\n        "
        "<Track>\n";
    char point[1024];
    for (int second = 0; second < k_seconds; ++second) {
        std::snprintf(
            point, sizeof point,
            "          <Trackpoint>\n            <Time>2024-03-10T%02d:%02d:%02d.000Z</Time>\n"
            "            <Position>\n              <LatitudeDegrees>51.496</LatitudeDegrees>\n"
            "              <LongitudeDegrees>0.0336</LongitudeDegrees>\n            </Position>\n"
            "            <DistanceMeters>%d</DistanceMeters>\n"
            "            <HeartRateBpm>\n              <Value>%d</Value>\n            </HeartRateBpm>\n"
            "            <Cadence>%d</Cadence>\n            <Extensions>\n"
            "              <TPX xmlns=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">\n"
            "                <Speed>4.0</Speed>\n                <Watts>179</Watts>\n"
            "              </TPX>\n            </Extensions>\n          </Trackpoint>\n",
            8 + second / 3600, second / 60 % 60, second % 60, 4 * (second + 1), 120 + second * 40 / k_seconds,
            22 + second % 5);
        text += point;
    }
    text +=
        "        </Track>\n        <Extensions>\n"
        "          <LX xmlns=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">\n"
        "            <Steps>9000</Steps>\n          </LX>\n        </Extensions>\n      </Lap>\n"
        "    </Activity>\n  </Activities>\n</TrainingCenterDatabase>\n";
    return text;
}

void convert_two_hour_session(benchmark::State& state)
{
    const std::string tcx = two_hour_session();
    std::size_t fit_bytes = 0;
    for (auto _ : state) {
        auto workout = ble2garmin::rowing::read_tcx_text(tcx);
        auto activity = ble2garmin::rowing::build_activity(*workout);
        auto fit = ble2garmin::fit::encode_activity_file(*activity);
        fit_bytes = fit->size();
        benchmark::DoNotOptimize(fit_bytes);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(tcx.size()));
    state.counters["tcx_bytes"] = static_cast<double>(tcx.size());
    state.counters["fit_bytes"] = static_cast<double>(fit_bytes);
}
BENCHMARK(convert_two_hour_session)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--write-tcx") == 0) {
        std::ofstream(argv[2], std::ios::binary) << two_hour_session();
        return 0;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
