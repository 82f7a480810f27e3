#pragma once
// The framed EEPROM protocol of Omron cuffs (shared/spec/device-omron.md §4). Pure.
//
// Both directions:  [len][type hi][type lo][addr hi][addr lo][n][data…][0x00][chk]
//   len   total bytes, header and trailer included (at most 64)
//   type  00 00 start transmission · 01 00 EEPROM read · 01 c0 EEPROM write · 0f 00 end
//         (the answers set bit 7 of the first type byte: 80 00, 81 00, 81 c0, 8f 00)
//   addr  EEPROM address, big-endian; n = data bytes (a read asks for n bytes and sends none)
//   chk   makes the XOR of every byte of the frame 0
//
// A frame travels in 16-byte pieces: the host writes piece i to TX channel i, the cuff answers
// with piece i on RX channel i; byte 0 of the channel-0 piece is the answer's length.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ble2garmin/bytes.hpp"
#include "ble2garmin/result.hpp"

namespace ble2garmin::modules::omron {

inline constexpr std::size_t k_max_frame = 64;
inline constexpr std::size_t k_piece = 16;
inline constexpr std::size_t k_channels = 4;
// The most data bytes one frame carries (64 − 8).
inline constexpr std::size_t k_max_data = 0x38;

enum class Command : std::uint16_t {
    start = 0x0000,
    read = 0x0100,
    write = 0x01C0,
    end = 0x0F00,
};
// The type of the cuff's answer to `command`.
constexpr std::uint16_t answer_type(Command command)
{
    return static_cast<std::uint16_t>(static_cast<std::uint16_t>(command) | 0x8000);
}

// The XOR of all bytes.
std::uint8_t xor_of(std::span<const std::uint8_t> bytes);

// Host frames. read/write: an Error when n exceeds k_max_data.
Bytes start_frame();
Bytes end_frame();
Result<Bytes> read_frame(std::uint16_t address, std::size_t count);
Result<Bytes> write_frame(std::uint16_t address, std::span<const std::uint8_t> data);

// A frame as the cuff sent it.
struct Response {
    std::uint16_t type = 0;
    std::uint16_t address = 0;
    Bytes data;  // end answer: the one status byte
};

// The response in `frame`; an Error for a wrong length, a bad checksum or data longer than the frame.
Result<Response> parse_response(std::span<const std::uint8_t> frame);

// `frame` cut into 16-byte pieces, piece i for TX channel i.
std::vector<Bytes> split_pieces(const Bytes& frame);

// Joins the pieces of one answer as notifications arrive (any order of channels; on a
// single-channel cuff, consecutive notifications of the one channel).
class AnswerAssembler {
public:
    explicit AnswerAssembler(bool single_channel = false) : m_single_channel(single_channel) {}
    // Adds the notification of RX `channel` (0–3).
    void add(std::size_t channel, const Bytes& piece);
    // The whole frame once every piece is there (truncated to its length byte); nullopt before.
    std::optional<Bytes> frame() const;
    void clear();

private:
    bool m_single_channel;
    std::array<std::optional<Bytes>, k_channels> m_pieces;
    Bytes m_stream;  // single-channel
};

}  // namespace ble2garmin::modules::omron
