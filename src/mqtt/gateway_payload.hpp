#pragma once
// What a gateway (`[mqtt] role = "gateway"`) relays and a hub takes in: one advertisement of a
// configured device per message, QoS 1, not retained, on `<gateway_topic>/<gateway name>`, as a
// compact JSON object (docs/mqtt.md):
//
//   {"g":"bathroom","a":"C8:47:8C:A1:B2:C3","n":"MIBFS","r":-67,"t":1764745200123,
//    "s":{"181b":"0226e9070b150c1e0bfa01e034"},"m":{"343":"0102"}}
//
//   g  the gateway's name (one topic level)           a  the device address, upper case
//   n  the advertised name (may be absent)            r  RSSI in dBm (may be absent)
//   t  receive time at the gateway, Unix milliseconds
//   s  service data: UUID (16-bit short form when it is a Bluetooth base UUID, else 128-bit) → hex
//   m  manufacturer data: company id (decimal) → hex
//
// Bounds a real advertisement stays within: 4 KiB per message, 16 entries per map, 255 bytes per
// value. Anything else is refused with a reason, never half-taken.

#include <string>
#include <string_view>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

namespace ble2garmin::mqtt {

inline constexpr std::size_t k_max_gateway_message = 4096;

// The message for `advertisement` heard by gateway `gateway`.
std::string encode_gateway_advertisement(const Advertisement& advertisement, std::string_view gateway);

// The advertisement in `payload`, with source "mqtt:<gateway>"; an Error saying what is wrong.
Result<Advertisement> decode_gateway_advertisement(std::string_view payload);

}  // namespace ble2garmin::mqtt
