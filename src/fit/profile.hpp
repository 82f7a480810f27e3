#pragma once
// Numbers of the FIT profile that ble2garmin's files use (shared/spec/fit.md §2, from the official
// SDK's Profile 21.217.0). Field numbers live beside the writer that uses them.

#include <cstdint>

namespace ble2garmin::fit {

// File header versions (fit.md §1.2).
inline constexpr std::uint8_t k_protocol_version_1_0 = 0x10;
inline constexpr std::uint8_t k_protocol_version_2_0 = 0x20;
inline constexpr std::uint16_t k_profile_version = 21'217;  // 21.217: the profile of the tables used

// Global message numbers (mesg_num).
inline constexpr std::uint16_t k_mesg_file_id = 0;
inline constexpr std::uint16_t k_mesg_user_profile = 3;
inline constexpr std::uint16_t k_mesg_session = 18;
inline constexpr std::uint16_t k_mesg_lap = 19;
inline constexpr std::uint16_t k_mesg_record = 20;
inline constexpr std::uint16_t k_mesg_event = 21;
inline constexpr std::uint16_t k_mesg_device_info = 23;
inline constexpr std::uint16_t k_mesg_weight_scale = 30;
inline constexpr std::uint16_t k_mesg_activity = 34;
inline constexpr std::uint16_t k_mesg_file_creator = 49;

// Fields every message may carry.
inline constexpr std::uint8_t k_field_timestamp = 253;  // date_time
inline constexpr std::uint8_t k_field_message_index = 254;

// `file` enum (file_id.type).
inline constexpr std::uint8_t k_file_activity = 4;
inline constexpr std::uint8_t k_file_weight = 9;

// `manufacturer` enum.
inline constexpr std::uint16_t k_manufacturer_garmin = 1;
inline constexpr std::uint16_t k_manufacturer_development = 255;

}  // namespace ble2garmin::fit
