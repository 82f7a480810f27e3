#include "transport.hpp"

#include <cstdio>

#include "gatt_uuids.hpp"

namespace ble2garmin::modules::omron {
namespace {

std::string hex4(unsigned value)
{
    char text[8];
    (void)std::snprintf(text, sizeof text, "%04x", value & 0xFFFFU);
    return text;
}

std::size_t rx_channel(const std::string& uuid)
{
    for (std::size_t i = 0; i < k_rx.size(); ++i) {
        if (uuid == k_rx[i]) {
            return i;
        }
    }
    return k_rx.size();
}

}  // namespace

Result<void> Transport::open()
{
    const std::size_t channels = m_stack == Stack::classic ? k_rx.size() : 1;
    for (std::size_t i = 0; i < channels; ++i) {
        if (auto started = m_link.start_notify(k_rx[i]); !started) {
            return started;
        }
    }
    return {};
}

void Transport::close()
{
    const std::size_t channels = m_stack == Stack::classic ? k_rx.size() : 1;
    for (std::size_t i = 0; i < channels && m_link.usable(); ++i) {
        (void)m_link.stop_notify(k_rx[i]);
    }
}

Result<Bytes> Transport::exchange(const Bytes& frame)
{
    m_link.discard_notifications();
    m_assembler.clear();
    if (m_stack == Stack::single_channel) {
        if (auto written = m_link.write(k_tx[0], frame, GattWrite::command); !written) {
            return written.error();
        }
    } else {
        const auto pieces = split_pieces(frame);
        for (std::size_t i = 0; i < pieces.size() && i < k_tx.size(); ++i) {
            if (auto written = m_link.write(k_tx[i], pieces[i], GattWrite::request); !written) {
                return written.error();
            }
        }
    }
    const auto until = std::chrono::steady_clock::now() + k_answer_timeout;
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return make_error("no answer from the cuff within 1 s");
        }
        auto notification = m_link.next_notification(left);
        if (!notification) {
            return notification.error();
        }
        const std::size_t channel = rx_channel(notification->uuid);
        if (channel >= k_rx.size()) {
            continue;  // another characteristic's notification
        }
        m_assembler.add(channel, notification->value);
        if (auto joined = m_assembler.frame()) {
            return *joined;
        }
    }
}

Result<Response> Transport::transact(const Bytes& frame, std::uint16_t expected, std::uint16_t address)
{
    std::string last;
    for (int attempt = 1; attempt <= k_attempts; ++attempt) {
        auto answer = exchange(frame);
        if (!m_link.usable()) {
            return make_error(answer ? "the link to the cuff is gone" : answer.error().message);
        }
        if (!answer) {
            last = answer.error().message;
            continue;
        }
        auto response = parse_response(*answer);
        if (!response) {
            last = response.error().message;
            continue;
        }
        if (response->type != expected) {
            last = "the cuff answered type " + hex4(response->type) + " instead of " + hex4(expected);
            continue;
        }
        if (response->type != answer_type(Command::start) && response->type != answer_type(Command::end) &&
            response->address != address) {
            last =
                "the cuff answered for address " + hex4(response->address) + " instead of " + hex4(address);
            continue;
        }
        return response;
    }
    return make_error("command " + hex4(static_cast<unsigned>((frame[1] << 8) | frame[2])) + " failed " +
                      std::to_string(k_attempts) + " times: " + last);
}

Result<Bytes> Transport::read(std::uint16_t address, std::size_t count, std::size_t block)
{
    Bytes out;
    block = std::max<std::size_t>(1, std::min(block, k_max_data));
    while (out.size() < count) {
        const auto at = static_cast<std::uint16_t>(address + out.size());
        const std::size_t n = std::min(block, count - out.size());
        auto frame = read_frame(at, n);
        if (!frame) {
            return frame.error();
        }
        auto response = transact(*frame, answer_type(Command::read), at);
        if (!response) {
            return make_error("reading " + std::to_string(n) + " bytes at " + hex4(at) + ": " +
                              response.error().message);
        }
        if (response->data.size() != n) {
            return make_error("reading at " + hex4(at) + ": the cuff sent " +
                              std::to_string(response->data.size()) + " bytes instead of " +
                              std::to_string(n));
        }
        out.insert(out.end(), response->data.begin(), response->data.end());
    }
    return out;
}

Result<void> Transport::write(std::uint16_t address, const Bytes& data)
{
    for (std::size_t done = 0; done < data.size();) {
        const auto at = static_cast<std::uint16_t>(address + done);
        const std::size_t n = std::min(k_max_data, data.size() - done);
        auto frame = write_frame(at, std::span<const std::uint8_t>(data).subspan(done, n));
        if (!frame) {
            return frame.error();
        }
        if (auto response = transact(*frame, answer_type(Command::write), at); !response) {
            return make_error("writing at " + hex4(at) + ": " + response.error().message);
        }
        done += n;
    }
    return {};
}

}  // namespace ble2garmin::modules::omron
