// The per-advertisement and per-measurement costs of the pipeline: what a Pi Zero pays for every
// advertisement on the air and for every new weighing.

#include <filesystem>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "ble2garmin/device_module.hpp"

#include "body/composition.hpp"
#include "log/logging.hpp"
#include "modules/mi_scale/decoder.hpp"
#include "pipeline/dispatcher.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/store_setup.hpp"
#include "util/hex.hpp"

namespace ble2garmin {
namespace {

const Bytes k_frame = *parse_hex("0226b20705040f0201ac018642");

Advertisement advertisement_from(const char* address)
{
    Advertisement advertisement;
    advertisement.address = address;
    advertisement.received_at = SystemTime{} + std::chrono::seconds(1'795'245'123);
    advertisement.service_data[uuid_from_16bit(0x181b)] = k_frame;
    return advertisement;
}

std::filesystem::path fresh_directory(const char* name)
{
    auto dir = std::filesystem::temp_directory_path() /
               ("ble2garmin-bench-" + std::to_string(getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

void BM_DecodeMiScale2(benchmark::State& state)
{
    for (auto _ : state) {
        benchmark::DoNotOptimize(modules::mi_scale::decode_scale2(k_frame));
    }
}
BENCHMARK(BM_DecodeMiScale2);

void BM_Compose(benchmark::State& state)
{
    const body::Inputs inputs{Sex::male, 172, 40, 55.2, 508};
    for (auto _ : state) {
        benchmark::DoNotOptimize(body::compose(inputs));
    }
}
BENCHMARK(BM_Compose);

// An advertisement from a device nobody configured: the cost of a busy street.
void BM_DispatchUnknownDevice(benchmark::State& state)
{
    auto dispatcher =
        pipeline::Dispatcher::create({DeviceConfig{"mi_scale", "C8:47:8C:A1:B2:C3", {}}}, device_modules());
    const auto advertisement = advertisement_from("11:22:33:44:55:66");
    for (auto _ : state) {
        benchmark::DoNotOptimize(dispatcher->on_advertisement(advertisement));
    }
}
BENCHMARK(BM_DispatchUnknownDevice);

// A re-advertisement of a weighing already recorded: decode + duplicate check.
void BM_RepeatedAdvertisement(benchmark::State& state)
{
    Config config;
    config.general.state_directory = fresh_directory("repeat");
    config.devices = {DeviceConfig{"mi_scale", "C8:47:8C:A1:B2:C3", {}}};
    auto dispatcher = pipeline::Dispatcher::create(config.devices, device_modules());
    auto store = pipeline::open_store(config, device_modules(), SystemTime{});
    pipeline::Pipeline pipeline(config, **store);
    const auto advertisement = advertisement_from("C8:47:8C:A1:B2:C3");
    (void)pipeline.on_reading(*dispatcher->on_advertisement(advertisement));
    for (auto _ : state) {
        auto reading = dispatcher->on_advertisement(advertisement);
        benchmark::DoNotOptimize(pipeline.on_reading(*reading));
    }
    std::filesystem::remove_all(config.general.state_directory);
}
BENCHMARK(BM_RepeatedAdvertisement);

// A new weighing: compose + durable journal line (fsync) + durable CSV row (fsync).
void BM_NewMeasurement(benchmark::State& state)
{
    Config config;
    config.general.state_directory = fresh_directory("new");
    config.devices = {DeviceConfig{"mi_scale", "C8:47:8C:A1:B2:C3", {}}};
    User user;
    user.name = "adam";
    user.height_cm = 172;
    user.birth_date = std::chrono::year{1984} / 4 / 2;
    user.min_weight_kg = 10;
    user.max_weight_kg = 200;
    config.users = {user};
    auto store = pipeline::open_store(config, device_modules(), SystemTime{});
    pipeline::Pipeline pipeline(config, **store);
    Reading reading;
    reading.module = "mi_scale2";
    reading.device_address = "C8:47:8C:A1:B2:C3";
    reading.received_at = SystemTime{} + std::chrono::seconds(1'795'245'123);
    ScaleReading scale;
    scale.weight_kg = 85.15;
    scale.impedance_ohm = 428;
    reading.value = scale;
    long counter = 0;
    for (auto _ : state) {
        reading.fingerprint = std::to_string(++counter);
        benchmark::DoNotOptimize(pipeline.on_reading(reading));
    }
    std::filesystem::remove_all(config.general.state_directory);
}
BENCHMARK(BM_NewMeasurement)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace ble2garmin

int main(int argc, char** argv)
{
    (void)ble2garmin::logging::init("error");  // one log line per measurement would be measured too
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
