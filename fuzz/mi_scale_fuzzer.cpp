// Any bytes as Mi Scale 2 / v1 service data, through the pure decoders and the stateful module.
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "ble2garmin/device_module.hpp"

#include "modules/mi_scale/decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace ble2garmin;
    const Bytes payload(data, data + size);
    (void)modules::mi_scale::decode_scale2(payload);
    (void)modules::mi_scale::decode_scale1(payload);

    static std::unique_ptr<DeviceModule> module = find_device_module("mi_scale")->create({}).value();
    Advertisement advertisement;
    advertisement.address = "C8:47:8C:A1:B2:C3";
    advertisement.received_at = SystemTime{} + std::chrono::seconds(size);
    const bool v2 = size > 0 && (data[0] & 0x80) == 0;
    advertisement.service_data[v2 ? uuid_from_16bit(0x181b) : uuid_from_16bit(0x181d)] = payload;
    (void)module->decode(advertisement);
    (void)module->describe(v2 ? "mi_scale2" : "mi_scale1", payload);
    return 0;
}
