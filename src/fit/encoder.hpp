#pragma once
// A generic FIT file writer (shared/spec/fit.md §1): file header, definition and data messages on
// local message numbers 0..15, little-endian, file CRC. It knows base types, not the profile's
// messages: file writers (weight_scale_file, later an activity writer) define their messages and
// write them in the order their file type needs — file_id first.
//
//   Encoder encoder;
//   encoder.define(0, {k_mesg_file_id, {{0, BaseType::enumeration}, {4, BaseType::uint32}}});
//   encoder.write(0, Message{}.set(0, k_file_weight).set(4, created));
//   Bytes file = std::move(encoder).finish();
//
// Never written: compressed-timestamp headers (the official SDK decoder rejects them), developer
// fields, big-endian definitions.

#include <array>
#include <cstdint>
#include <optional>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

#include "fit/message.hpp"
#include "fit/profile.hpp"

namespace ble2garmin::fit {

enum class HeaderSize : std::uint8_t {
    legacy = 12,    // no header CRC (python-garminconnect, withings-sync)
    standard = 14,  // with a header CRC over bytes 0..11, as Garmin devices and the SDK write it
};

struct FileHeaderOptions {
    HeaderSize size = HeaderSize::standard;
    // High nibble major, low nibble minor. 1.0 suffices without 64-bit types and developer fields.
    std::uint8_t protocol_version = k_protocol_version_1_0;
    // major × 1000 + minor for three-digit minors (21217 = 21.217; decoders divide values above 2199
    // by 1000), major × 100 + minor for older profiles (108 = 1.08).
    std::uint16_t profile_version = k_profile_version;
};

class Encoder {
public:
    static constexpr std::uint8_t k_local_message_count = 16;

    explicit Encoder(FileHeaderOptions header = {});

    // Writes a definition message binding `local` (0..15) to `definition`, replacing the previous
    // binding of that number. An Error, with nothing written, when `local` is out of range, a field
    // number repeats, a field is empty or over 255 bytes, there are over 255 fields, or a 64-bit type
    // is used with protocol 1.x.
    Result<void> define(std::uint8_t local, MessageDefinition definition);

    // Writes a data message for the definition bound to `local`, fields absent from `values` as
    // invalid. An Error, with nothing written, when `local` has no definition, `values` has a field
    // the definition lacks, or a value does not suit its field (see append_field).
    Result<void> write(std::uint8_t local, const Message& values);

    // The complete file: header with the final data size (and header CRC), records, file CRC.
    Bytes finish() &&;

private:
    Result<void> append_record(const Bytes& record);

    FileHeaderOptions m_header;
    Bytes m_records;
    std::array<std::optional<MessageDefinition>, k_local_message_count> m_definitions;
};

}  // namespace ble2garmin::fit
