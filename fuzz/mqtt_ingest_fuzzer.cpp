// Any bytes as an MQTT message on the ingest topics: export2garmin's ESP32 payload and a gateway's
// advertisement message (src/mqtt/esp32_payload.hpp, src/mqtt/gateway_payload.hpp), through the
// parsers and, for a gateway message that decodes, back through the encoder (the hub → gateway round
// trip must give the same advertisement).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mqtt/esp32_payload.hpp"
#include "mqtt/gateway_payload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace ble2garmin;
    const std::string_view payload(reinterpret_cast<const char*>(data), size);
    (void)mqtt::parse_esp32_payload(payload);
    auto advertisement = mqtt::decode_gateway_advertisement(payload);
    if (advertisement) {
        const std::string gateway = advertisement->source.substr(5);  // "mqtt:<name>"
        auto again =
            mqtt::decode_gateway_advertisement(mqtt::encode_gateway_advertisement(*advertisement, gateway));
        if (!again || again->address != advertisement->address ||
            again->service_data != advertisement->service_data ||
            again->manufacturer_data != advertisement->manufacturer_data ||
            again->received_at != advertisement->received_at || again->rssi_dbm != advertisement->rssi_dbm ||
            again->name != advertisement->name || again->source != advertisement->source) {
            std::abort();
        }
    }
    return 0;
}
