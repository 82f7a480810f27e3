#pragma once
// An Omron cuff behind the GattLink interface, for the session's unit tests: an EEPROM image, the
// unlock characteristic, the four TX/RX channels, and faults to inject. The answers are computed
// here from the spec's frame rules (device-omron.md §4), independently of modules/omron/frame.cpp.

#include <deque>
#include <map>
#include <string>

#include "ble2garmin/gatt_link.hpp"

#include "modules/omron/gatt_uuids.hpp"
#include "modules/omron/models.hpp"

namespace ble2garmin::modules::omron::testing_support {

class FakeCuff final : public GattLink {
public:
    explicit FakeCuff(const Model& model) : m_model(model), m_eeprom(0x1000, 0xFF) {}

    // --- what the test sets up
    Bytes& eeprom() { return m_eeprom; }
    Bytes key = Bytes(16, 0);  // the key the cuff holds
    bool paired_now = true;
    bool pairing_mode = false;
    int corrupt_answers = 0;          // the next N answers have a wrong checksum
    int silent_answers = 0;           // the next N commands get no answer
    int disconnect_after_reads = -1;  // the link drops after this many EEPROM reads
    int end_status = 0;

    // --- what the test checks
    std::vector<Bytes> host_frames;                       // every complete frame written
    std::vector<std::pair<std::uint16_t, Bytes>> writes;  // EEPROM writes
    int reads = 0;
    bool pair_called = false;

    Result<bool> paired() override { return paired_now; }
    Result<void> pair() override
    {
        pair_called = true;
        paired_now = true;
        return {};
    }
    bool has_service(std::string_view uuid) const override
    {
        return uuid == (m_model.stack == Stack::classic ? k_parent_service : k_single_channel_service);
    }
    bool has_characteristic(std::string_view) const override { return true; }
    Result<void> start_notify(std::string_view) override { return check(); }
    Result<void> stop_notify(std::string_view) override { return check(); }
    Result<Bytes> read(std::string_view) override { return make_error("not readable"); }
    bool usable() const override { return m_connected; }
    void discard_notifications() override { m_queue.clear(); }

    Result<GattNotification> next_notification(std::chrono::milliseconds) override
    {
        if (!m_connected) {
            return make_error("the cuff disconnected");
        }
        if (m_queue.empty()) {
            return make_error("no notification");  // a real link would have waited
        }
        GattNotification next = m_queue.front();
        m_queue.pop_front();
        return next;
    }

    Result<void> write(std::string_view uuid, const Bytes& value, GattWrite) override
    {
        if (auto ok = check(); !ok) {
            return ok;
        }
        if (uuid == k_unlock) {
            unlock_write(value);
            return {};
        }
        for (std::size_t channel = 0; channel < k_tx.size(); ++channel) {
            if (uuid == k_tx[channel]) {
                if (channel == 0) {
                    m_pending.clear();
                }
                m_pending.insert(m_pending.end(), value.begin(), value.end());
                if (!m_pending.empty() && m_pending.size() >= m_pending[0]) {
                    Bytes frame(m_pending.begin(), m_pending.begin() + m_pending[0]);
                    m_pending.clear();
                    host_frame(frame);
                }
                return {};
            }
        }
        return make_error("no such characteristic");
    }

    // Writes record bytes into slot `slot` of user `user` (0-based).
    void put_record(int user, int slot, const Bytes& record)
    {
        const auto at = static_cast<std::size_t>(m_model.users[static_cast<std::size_t>(user)].start +
                                                 slot * m_model.record_size);
        std::copy(record.begin(), record.end(), m_eeprom.begin() + static_cast<std::ptrdiff_t>(at));
    }

private:
    Result<void> check() const
    {
        return m_connected ? Result<void>() : Result<void>(make_error("not connected"));
    }

    static std::uint8_t x(const Bytes& bytes)
    {
        std::uint8_t v = 0;
        for (auto b : bytes) {
            v ^= b;
        }
        return v;
    }

    void notify(std::string_view uuid, Bytes value)
    {
        m_queue.push_back({std::string(uuid), std::move(value)});
    }

    void unlock_write(const Bytes& value)
    {
        if (value.empty()) {
            return;
        }
        const Bytes tail(value.begin() + 1, value.end());
        if (value[0] == 0x01) {
            notify(k_unlock, {0x81, static_cast<std::uint8_t>(tail == key ? 0x00 : 0x01)});
        } else if (value[0] == 0x02) {
            notify(k_unlock, {static_cast<std::uint8_t>(pairing_mode ? 0x82 : 0x81), 0x00});
        } else if (value[0] == 0x00 && pairing_mode) {
            key = tail;
            notify(k_unlock, {0x80, 0x00});
        }
    }

    void host_frame(const Bytes& frame)
    {
        host_frames.push_back(frame);
        if (silent_answers > 0) {
            --silent_answers;
            return;
        }
        const std::uint16_t type = static_cast<std::uint16_t>((frame[1] << 8) | frame[2]);
        const std::uint16_t address = static_cast<std::uint16_t>((frame[3] << 8) | frame[4]);
        const std::size_t n = frame[5];
        Bytes answer;
        if (type == 0x0000) {
            answer = {0x18, 0x80, 0x00, 0x00, 0x00, 0x10};
            answer.insert(answer.end(), 16, 0x11);
        } else if (type == 0x0100) {
            if (disconnect_after_reads >= 0 && reads >= disconnect_after_reads) {
                m_connected = false;
                return;
            }
            ++reads;
            answer = {static_cast<std::uint8_t>(8 + n), 0x81, 0x00, frame[3], frame[4],
                      static_cast<std::uint8_t>(n)};
            answer.insert(answer.end(), m_eeprom.begin() + address,
                          m_eeprom.begin() + address + static_cast<std::ptrdiff_t>(n));
        } else if (type == 0x01c0) {
            const Bytes data(frame.begin() + 6, frame.begin() + 6 + static_cast<std::ptrdiff_t>(n));
            writes.emplace_back(address, data);
            std::copy(data.begin(), data.end(), m_eeprom.begin() + address);
            answer = Bytes(frame.begin(), frame.end() - 2);
            answer[1] = 0x81;
        } else if (type == 0x0f00) {
            answer = {0x08, 0x8f, 0x00, 0x00, 0x00, 0x00, static_cast<std::uint8_t>(end_status)};
        } else {
            return;
        }
        if (type != 0x0f00) {
            answer.push_back(0x00);
        }
        answer.push_back(x(answer));
        if (corrupt_answers > 0) {
            --corrupt_answers;
            answer.back() ^= 0x01;
        }
        const std::size_t single = m_model.stack == Stack::single_channel ? 1 : 0;
        for (std::size_t at = 0, channel = 0; at < answer.size(); at += 16, ++channel) {
            const Bytes piece(answer.begin() + static_cast<std::ptrdiff_t>(at),
                              answer.begin() + static_cast<std::ptrdiff_t>(std::min(answer.size(), at + 16)));
            notify(k_rx[single != 0 ? 0 : channel], piece);
        }
    }

    const Model& m_model;
    Bytes m_eeprom;
    Bytes m_pending;
    std::deque<GattNotification> m_queue;
    bool m_connected = true;
};

}  // namespace ble2garmin::modules::omron::testing_support
