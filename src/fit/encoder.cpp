#include "fit/encoder.hpp"

#include <limits>
#include <set>
#include <string>
#include <utility>

#include "fit/crc.hpp"
#include "fit/field_encoding.hpp"

namespace ble2garmin::fit {

namespace {

// Record header byte (fit.md §1.4): bit 7 = 0 (normal header), bit 6 = definition, bits 3..0 = local.
constexpr std::uint8_t k_definition_flag = 0x40;
constexpr std::uint8_t k_little_endian = 0;
constexpr std::uint8_t k_max_fields = std::numeric_limits<std::uint8_t>::max();
constexpr std::uint64_t k_max_data_size = std::numeric_limits<std::uint32_t>::max();
constexpr std::array<std::uint8_t, 4> k_data_type = {'.', 'F', 'I', 'T'};

void append_u16(Bytes& out, std::uint16_t value)
{
    out.push_back(static_cast<std::uint8_t>(value & 0xFFu));
    out.push_back(static_cast<std::uint8_t>(value >> 8));
}

void append_u32(Bytes& out, std::uint32_t value)
{
    for (int shift = 0; shift < 32; shift += 8) {
        out.push_back(static_cast<std::uint8_t>(value >> shift));
    }
}

std::string local_text(std::uint8_t local)
{
    return "local message " + std::to_string(local);
}

Result<void> check_definition(const MessageDefinition& definition, const FileHeaderOptions& header)
{
    const std::string name = "message " + std::to_string(definition.global_number);
    if (definition.fields.size() > k_max_fields) {
        return make_error(name + ": " + std::to_string(definition.fields.size()) + " fields, at most 255");
    }
    std::set<std::uint8_t> numbers;
    for (const FieldDefinition& field : definition.fields) {
        if (!numbers.insert(field.number).second) {
            return make_error(name + ": " + describe(field) + " is defined twice");
        }
        if (auto checked = check_field_definition(field); !checked) {
            return make_error(name + ": " + checked.error().message);
        }
        // 64-bit base types came with protocol 2.0; a 1.x decoder could not size them.
        if (is_64_bit(field.type) && header.protocol_version < k_protocol_version_2_0) {
            return make_error(name + ": " + describe(field) + " needs protocol version 2.0");
        }
    }
    return {};
}

}  // namespace

Encoder::Encoder(FileHeaderOptions header) : m_header(header) {}

Result<void> Encoder::define(std::uint8_t local, MessageDefinition definition)
{
    if (local >= k_local_message_count) {
        return make_error(local_text(local) + " is outside 0..15");
    }
    if (auto checked = check_definition(definition, m_header); !checked) {
        return checked.error();
    }
    // Definition message (fit.md §1.5): reserved, architecture, global number, field count, then
    // (number, size, base type) per field.
    Bytes record{static_cast<std::uint8_t>(k_definition_flag | local), 0, k_little_endian};
    append_u16(record, definition.global_number);
    record.push_back(static_cast<std::uint8_t>(definition.fields.size()));
    for (const FieldDefinition& field : definition.fields) {
        record.push_back(field.number);
        record.push_back(static_cast<std::uint8_t>(field_size(field)));
        record.push_back(static_cast<std::uint8_t>(field.type));
    }
    if (auto appended = append_record(record); !appended) {
        return appended;
    }
    m_definitions[local] = std::move(definition);
    return {};
}

Result<void> Encoder::write(std::uint8_t local, const Message& values)
{
    if (local >= k_local_message_count || !m_definitions[local]) {
        return make_error(local_text(local) + " has no definition");
    }
    const MessageDefinition& definition = *m_definitions[local];
    // Built only for an error: an activity file writes thousands of records.
    const auto name = [&] { return "message " + std::to_string(definition.global_number); };
    for (const auto& [number, value] : values.values()) {
        bool defined = false;
        for (const FieldDefinition& field : definition.fields) {
            defined = defined || field.number == number;
        }
        if (!defined) {
            return make_error(name() + ": field " + std::to_string(number) + " is not in its definition");
        }
    }
    // Data message (fit.md §1.6): header byte, then the values in definition order, no padding —
    // appended in place and cut back when a value does not fit.
    const std::size_t before = m_records.size();
    m_records.push_back(local);
    for (const FieldDefinition& field : definition.fields) {
        if (auto appended = append_field(m_records, field, values.find(field.number)); !appended) {
            m_records.resize(before);
            return make_error(name() + ": " + appended.error().message);
        }
    }
    if (m_records.size() > k_max_data_size) {
        m_records.resize(before);
        return make_error("FIT data would exceed 4 GiB");
    }
    return {};
}

Result<void> Encoder::append_record(const Bytes& record)
{
    if (m_records.size() + record.size() > k_max_data_size) {
        return make_error("FIT data would exceed 4 GiB");
    }
    m_records.insert(m_records.end(), record.begin(), record.end());
    return {};
}

Bytes Encoder::finish() &&
{
    // File header (fit.md §1.2): size, protocol, profile (LE), data size (LE), ".FIT", header CRC.
    Bytes file{static_cast<std::uint8_t>(m_header.size), m_header.protocol_version};
    append_u16(file, m_header.profile_version);
    append_u32(file, static_cast<std::uint32_t>(m_records.size()));
    file.insert(file.end(), k_data_type.begin(), k_data_type.end());
    if (m_header.size == HeaderSize::standard) {
        append_u16(file, crc16(file));
    }
    file.reserve(file.size() + m_records.size() + 2);
    file.insert(file.end(), m_records.begin(), m_records.end());
    // The file CRC covers the header (its CRC included) and every record.
    append_u16(file, crc16(file));
    return file;
}

}  // namespace ble2garmin::fit
