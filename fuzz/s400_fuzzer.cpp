// Any bytes as S400 service data (0xFE95), twice: as a frame from the air, which rarely passes
// the AES-CCM tag, and as the plaintext of a frame sealed with the scale's key, so the object
// parser and the session tracker see arbitrary decrypted content too.
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "ble2garmin/device_module.hpp"

#include "modules/s400/decoder.hpp"
#include "modules/s400/options.hpp"

namespace {

using namespace ble2garmin;
using namespace ble2garmin::modules::s400;

constexpr const char* k_mac = "8C:D0:B2:F6:BE:EF";
constexpr const char* k_key = "0728974d657a4b60964c1b1677f35f7c";

// The input as the encrypted payload of a v5 S400 frame with frame counter `counter`.
Bytes sealed_frame(const Bytes& plaintext, std::uint8_t counter)
{
    Bytes frame{0x48, 0x59, 0xd5, 0x3b, counter};
    MiBeaconFrame header;
    header.product_and_counter = {0xd5, 0x3b, counter};
    const std::uint8_t aad[] = {0x11};
    auto sealed = ccm_encrypt(*parse_bindkey(k_key), make_nonce(*parse_mac(k_mac), header), aad, plaintext);
    if (!sealed) {
        return frame;
    }
    frame.insert(frame.end(), sealed->ciphertext.begin(), sealed->ciphertext.end());
    frame.insert(frame.end(), {0, 0, 0});
    frame.insert(frame.end(), sealed->tag.begin(), sealed->tag.end());
    return frame;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const Bytes input(data, data + size);
    (void)parse_frame(input);
    (void)find_body_packet(input);

    static std::unique_ptr<DeviceModule> module =
        find_device_module("s400")->create(toml::table{{"mac", k_mac}, {"bindkey", k_key}}).value();
    // The clock moves on by 0–15 s per input, so sessions both complete and expire.
    static SystemTime now = SystemTime{} + std::chrono::seconds(1'744'250'605);
    static std::uint8_t counter = 0;
    now += std::chrono::seconds(size > 0 ? data[0] & 0x0f : 1);

    Advertisement advertisement;
    advertisement.address = k_mac;
    advertisement.received_at = now;
    advertisement.source = "fuzz";
    advertisement.service_data[std::string(k_mibeacon_uuid)] = input;
    (void)module->decode(advertisement);
    (void)module->describe("s400", input);

    if (!input.empty()) {
        const Bytes frame = sealed_frame(input, ++counter);
        advertisement.service_data[std::string(k_mibeacon_uuid)] = frame;
        (void)module->decode(advertisement);
        (void)module->describe("s400", frame);
    }
    return 0;
}
