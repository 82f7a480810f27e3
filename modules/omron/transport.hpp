#pragma once
// One command and its answer over a GattLink (shared/spec/device-omron.md §4.4, §4.5): the host
// frame cut into 16-byte pieces on the TX channels, the answer joined from the RX notifications,
// checked (length, XOR, type, echoed address) and retransmitted up to 5 times when it does not
// come within a second or does not check out — omblepy's 1 s × 5.

#include <chrono>
#include <string>

#include "ble2garmin/gatt_link.hpp"

#include "frame.hpp"
#include "models.hpp"

namespace ble2garmin::modules::omron {

inline constexpr int k_attempts = 5;
inline constexpr std::chrono::milliseconds k_answer_timeout{1000};

class Transport {
public:
    Transport(GattLink& link, Stack stack)
        : m_link(link), m_stack(stack), m_assembler(stack == Stack::single_channel)
    {
    }

    // Notifications on the RX channel(s) on / off.
    Result<void> open();
    void close();

    // Sends `frame` and returns the answer of type `expected` echoing `address`; an Error after the
    // last attempt (with the last reason) or at once when the link is gone.
    Result<Response> transact(const Bytes& frame, std::uint16_t expected, std::uint16_t address);

    // Reads `count` bytes at `address` in reads of at most `block` bytes.
    Result<Bytes> read(std::uint16_t address, std::size_t count, std::size_t block);
    // Writes `data` at `address` (one frame per 56 bytes), each acknowledged.
    Result<void> write(std::uint16_t address, const Bytes& data);

private:
    Result<Bytes> exchange(const Bytes& frame);

    GattLink& m_link;
    Stack m_stack;
    AnswerAssembler m_assembler;
};

}  // namespace ble2garmin::modules::omron
