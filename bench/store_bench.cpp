// How the measurement store's cost grows with history: opening a backup of N rows (what every
// start of the daemon, `replay` and `upload` pays) and writing an upload pass of 20 rows into it (one
// streaming rewrite). Memory does not depend on N (bench/history_footprint.py measures RSS); time
// grows linearly with the bytes read and written.

#include <filesystem>
#include <fstream>
#include <string>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "log/logging.hpp"
#include "store/measurement_store.hpp"
#include "store/miscale/miscale_header.hpp"
#include "util/time.hpp"

namespace ble2garmin {
namespace {

constexpr int k_pending_rows = 20;

// A state directory whose miscale_backup.csv holds `history` uploaded rows (one weighing a day of
// one account, export2garmin's row) and then k_pending_rows to_import rows.
std::filesystem::path directory_with_history(long history)
{
    auto dir = std::filesystem::temp_directory_path() /
               ("ble2garmin-bench-store-" + std::to_string(getpid()) + "-" + std::to_string(history));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream out(dir / "miscale_backup.csv");
    out << store::make_miscale_header({}) << "\n";
    for (long i = 0; i < history; ++i) {
        out << "uploaded;" << 1'400'000'000 + i * 86'400
            << ";13.05.2014;18:53;55.2;0.0;18.7;10.8;46.7;2.6;61.2;7;4;19;1217;51.1;64.4;to_gain:6.8;23.4;"
               "508;"
               "adam@example.com;13.05.2014;18:55;120\n";
    }
    for (int i = 0; i < k_pending_rows; ++i) {
        out << "to_import;" << 1'800'000'000 + i * 3600 << ";55.2;508\n";
    }
    return dir;
}

store::StoreOptions options_for(const std::filesystem::path& dir)
{
    store::StoreOptions options;
    options.state_directory = dir;
    options.scale_csv = dir / "miscale_backup.csv";
    options.blood_pressure_csv = dir / "omron_backup.csv";
    return options;
}

void BM_OpenStore(benchmark::State& state)
{
    const auto dir = directory_with_history(state.range(0));
    for (auto _ : state) {
        auto store = store::MeasurementStore::open(options_for(dir), from_unix_seconds(1'800'000'000));
        benchmark::DoNotOptimize(store);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    std::filesystem::remove_all(dir);
}
BENCHMARK(BM_OpenStore)->Arg(0)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

// 20 rows change status (to_import → failed: the same rewrite as an accepted upload without the
// formulas) and are flushed: one streaming rewrite of the whole file.
void BM_FlushUploadPass(benchmark::State& state)
{
    const auto dir = directory_with_history(state.range(0));
    for (auto _ : state) {
        state.PauseTiming();
        auto store = store::MeasurementStore::open(options_for(dir), from_unix_seconds(1'800'000'000));
        for (const auto& pending : std::vector<store::PendingScale>((*store)->pending_scale())) {
            (*store)->mark_failed(store::BackupKind::scale, pending.row.unix_time());
        }
        state.ResumeTiming();
        benchmark::DoNotOptimize((*store)->flush());
        state.PauseTiming();
        store->reset();
        std::filesystem::remove_all(dir);
        directory_with_history(state.range(0));
        state.ResumeTiming();
    }
    std::filesystem::remove_all(dir);
}
BENCHMARK(BM_FlushUploadPass)->Arg(0)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ble2garmin

int main(int argc, char** argv)
{
    (void)ble2garmin::logging::init("error");
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
