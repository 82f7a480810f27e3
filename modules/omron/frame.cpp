#include "frame.hpp"

#include <string>

namespace ble2garmin::modules::omron {
namespace {

Bytes finish(Bytes frame)
{
    frame.push_back(0x00);
    frame.push_back(xor_of(frame));
    return frame;
}

Bytes header(std::size_t length, Command command, std::uint16_t address, std::size_t count)
{
    const auto type = static_cast<std::uint16_t>(command);
    return {static_cast<std::uint8_t>(length),         static_cast<std::uint8_t>(type >> 8),
            static_cast<std::uint8_t>(type & 0xFF),    static_cast<std::uint8_t>(address >> 8),
            static_cast<std::uint8_t>(address & 0xFF), static_cast<std::uint8_t>(count)};
}

}  // namespace

std::uint8_t xor_of(std::span<const std::uint8_t> bytes)
{
    std::uint8_t x = 0;
    for (const std::uint8_t b : bytes) {
        x ^= b;
    }
    return x;
}

Bytes start_frame()
{
    // 08 00 00 00 00 10 00 18: the start command asks for the 0x10-byte device id.
    return finish(header(8, Command::start, 0x0000, 0x10));
}

Bytes end_frame()
{
    return finish(header(8, Command::end, 0x0000, 0x00));
}

Result<Bytes> read_frame(std::uint16_t address, std::size_t count)
{
    if (count == 0 || count > k_max_data) {
        return make_error("an EEPROM read takes 1 to 56 bytes, not " + std::to_string(count));
    }
    return finish(header(8, Command::read, address, count));
}

Result<Bytes> write_frame(std::uint16_t address, std::span<const std::uint8_t> data)
{
    if (data.empty() || data.size() > k_max_data) {
        return make_error("an EEPROM write takes 1 to 56 bytes, not " + std::to_string(data.size()));
    }
    Bytes frame = header(8 + data.size(), Command::write, address, data.size());
    frame.insert(frame.end(), data.begin(), data.end());
    return finish(std::move(frame));
}

Result<Response> parse_response(std::span<const std::uint8_t> frame)
{
    if (frame.size() < 8 || frame.size() > k_max_frame) {
        return make_error("an answer of " + std::to_string(frame.size()) + " bytes is no frame (8 to 64)");
    }
    if (frame[0] != frame.size()) {
        return make_error("the answer's length byte says " + std::to_string(frame[0]) + " bytes, it has " +
                          std::to_string(frame.size()));
    }
    if (xor_of(frame) != 0) {
        return make_error("the answer's checksum is wrong (XOR of the frame is not 0)");
    }
    Response response;
    response.type = static_cast<std::uint16_t>((frame[1] << 8) | frame[2]);
    response.address = static_cast<std::uint16_t>((frame[3] << 8) | frame[4]);
    if (response.type == answer_type(Command::end)) {
        response.data.assign(frame.begin() + 6, frame.begin() + 7);  // the status byte
        return response;
    }
    const std::size_t count = frame[5];
    if (count > frame.size() - 8) {
        return make_error("the answer claims " + std::to_string(count) + " data bytes in a frame of " +
                          std::to_string(frame.size()));
    }
    response.data.assign(frame.begin() + 6, frame.begin() + 6 + static_cast<std::ptrdiff_t>(count));
    return response;
}

std::vector<Bytes> split_pieces(const Bytes& frame)
{
    std::vector<Bytes> pieces;
    for (std::size_t at = 0; at < frame.size(); at += k_piece) {
        const std::size_t end = std::min(frame.size(), at + k_piece);
        pieces.emplace_back(frame.begin() + static_cast<std::ptrdiff_t>(at),
                            frame.begin() + static_cast<std::ptrdiff_t>(end));
    }
    return pieces;
}

void AnswerAssembler::add(std::size_t channel, const Bytes& piece)
{
    if (m_single_channel) {
        if (m_stream.size() < k_max_frame) {
            m_stream.insert(m_stream.end(), piece.begin(), piece.end());
        }
        return;
    }
    if (channel < k_channels) {
        m_pieces[channel] = piece;
    }
}

std::optional<Bytes> AnswerAssembler::frame() const
{
    if (m_single_channel) {
        if (m_stream.empty() || m_stream.size() < m_stream[0] || m_stream[0] == 0) {
            return std::nullopt;
        }
        return Bytes(m_stream.begin(), m_stream.begin() + m_stream[0]);
    }
    if (!m_pieces[0] || m_pieces[0]->empty()) {
        return std::nullopt;
    }
    const std::size_t length = (*m_pieces[0])[0];
    if (length == 0 || length > k_max_frame) {
        return Bytes(m_pieces[0]->begin(), m_pieces[0]->end());  // parse_response says why
    }
    const std::size_t needed = (length + k_piece - 1) / k_piece;
    Bytes joined;
    for (std::size_t i = 0; i < needed; ++i) {
        if (!m_pieces[i]) {
            return std::nullopt;
        }
        joined.insert(joined.end(), m_pieces[i]->begin(), m_pieces[i]->end());
    }
    if (joined.size() < length) {
        return joined;  // a short piece: parse_response reports the length mismatch
    }
    joined.resize(length);
    return joined;
}

void AnswerAssembler::clear()
{
    m_pieces = {};
    m_stream.clear();
}

}  // namespace ble2garmin::modules::omron
