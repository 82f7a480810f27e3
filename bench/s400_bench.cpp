// What the S400 costs: decrypting and decoding one frame, rejecting a frame that does not
// authenticate, ignoring a repeat, and a whole two-packet weighing through the module.

#include <benchmark/benchmark.h>

#include "ble2garmin/device_module.hpp"

#include "modules/s400/decoder.hpp"
#include "modules/s400/options.hpp"
#include "util/hex.hpp"

namespace ble2garmin {
namespace {

using namespace modules::s400;

constexpr const char* k_mac = "8C:D0:B2:F6:BE:EF";
constexpr const char* k_key = "0728974d657a4b60964c1b1677f35f7c";
// shared/spec/device-s400.md §7.1 V1 and V2.
const Bytes k_v1 = *parse_hex("4859d53b0abc078ff2348c844138e930220000009e538599");
const Bytes k_v2 = *parse_hex("4859d53b0bd6ef0b25db72785e7e2f46d6000000d8642df6");

void BM_S400DecryptDecode(benchmark::State& state)
{
    const BindKey key = *parse_bindkey(k_key);
    const MacAddress mac = *parse_mac(k_mac);
    for (auto _ : state) {
        auto frame = parse_frame(k_v1);
        auto plaintext = decrypt_frame(*frame, key, mac);
        benchmark::DoNotOptimize(find_body_packet(*plaintext));
    }
}
BENCHMARK(BM_S400DecryptDecode);

// A frame under a wrong or stale bindkey: what a neighbour's S400 or a rotated key costs.
void BM_S400AuthenticationFailure(benchmark::State& state)
{
    const BindKey key = *parse_bindkey("02d2900363ef629c736a4549677acbee");
    const MacAddress mac = *parse_mac(k_mac);
    for (auto _ : state) {
        auto frame = parse_frame(k_v1);
        benchmark::DoNotOptimize(decrypt_frame(*frame, key, mac));
    }
}
BENCHMARK(BM_S400AuthenticationFailure);

Advertisement advertisement_of(const Bytes& frame, SystemTime at)
{
    Advertisement advertisement;
    advertisement.address = k_mac;
    advertisement.received_at = at;
    advertisement.service_data[std::string(k_mibeacon_uuid)] = frame;
    return advertisement;
}

std::unique_ptr<DeviceModule> make_module()
{
    return find_device_module("s400")->create(toml::table{{"mac", k_mac}, {"bindkey", k_key}}).value();
}

// The scale sends each frame several times: every repeat after the first is only compared.
void BM_S400RepeatedFrame(benchmark::State& state)
{
    auto module = make_module();
    const auto advertisement = advertisement_of(k_v1, SystemTime{} + std::chrono::seconds(1'744'250'605));
    (void)module->decode(advertisement);
    for (auto _ : state) {
        benchmark::DoNotOptimize(module->decode(advertisement));
    }
}
BENCHMARK(BM_S400RepeatedFrame);

// Both packets of a weighing through the module, up to the Reading. Each iteration is 11 minutes
// later, when the module has forgotten the frames, so the same two frames are a new weighing.
void BM_S400Weighing(benchmark::State& state)
{
    auto module = make_module();
    SystemTime at = SystemTime{} + std::chrono::seconds(1'744'250'605);
    for (auto _ : state) {
        at += std::chrono::minutes(11);
        (void)module->decode(advertisement_of(k_v1, at));
        auto outcome = module->decode(advertisement_of(k_v2, at + std::chrono::seconds(2)));
        if (!std::holds_alternative<Reading>(outcome)) {
            state.SkipWithError("no reading");
            break;
        }
        benchmark::DoNotOptimize(outcome);
    }
}
BENCHMARK(BM_S400Weighing);

}  // namespace
}  // namespace ble2garmin

BENCHMARK_MAIN();
