#pragma once
// Assembles the packets of one S400 weighing into one measurement (shared/spec/device-s400.md §5).
//
// One weighing arrives as two packets: A ("weight": weight, heart rate, 50 kHz impedance) and,
// a few seconds later, B ("impedance_high": the 250 kHz impedance only). A weighing is complete
//   - when B arrives within `grace` of A (or A within `grace` of a B that came first),
//   - with A alone when `grace` has passed since A, or the person stepped off, or another
//     weighing's A arrived — B was lost or never measured,
//   - at once for a socks packet (weight only, no foot contact: no impedance will follow).
// A B with nothing to join within `grace` is dropped: without a weight it is no measurement.
// Using whichever packet came first instead made fat/muscle jump 10–20 % (openScale PR #1367).
//
// The tracker has no clock: expiry is evaluated against the time the module passes to expire() —
// the receive time of the next advertisement of the device, or the wall clock when the daemon
// reaches deadline() while the scale has gone quiet.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ble2garmin/advertisement.hpp"

#include "decoder.hpp"

namespace ble2garmin::modules::s400 {

// One complete weighing, raw values as sent.
struct Weighing {
    int profile_id = 0;
    std::uint16_t weight_raw = 0;                     // 0.1 kg per LSB
    std::uint8_t heart_rate_raw = 0;                  // as in BodyPacket
    std::optional<std::uint16_t> impedance_low_raw;   // 50 kHz (packet A), 0.1 Ω per LSB
    std::optional<std::uint16_t> impedance_high_raw;  // 250 kHz (packet B), 0.1 Ω per LSB
    std::uint32_t scale_time = 0;
    SystemTime first_seen;  // receive time of the packet that started it
    std::string source;     // where that packet was received ("hci0", "mqtt:kitchen")
};

class SessionTracker {
public:
    explicit SessionTracker(std::chrono::seconds grace) : m_grace(grace) {}

    // The open weighing when `grace` has passed since its first packet at `now`; call it for every
    // advertisement of the device, before on_packet().
    std::optional<Weighing> expire(SystemTime now);
    // When expire() will report the open weighing; nullopt when there is none.
    std::optional<SystemTime> deadline() const;
    // The open weighing as it stands, at once (the daemon stops or reloads); nullopt when none.
    std::optional<Weighing> flush(SystemTime now);

    struct Step {
        std::vector<Weighing> completed;  // 0, 1 or 2 (an interrupted weighing, then a socks one)
        std::string why;                  // why nothing completed, for the trace log
    };
    Step on_packet(const BodyPacket& packet, SystemTime at, const std::string& source);

private:
    struct PendingHigh {
        int profile_id = 0;
        std::uint16_t impedance_raw = 0;
        SystemTime at;
    };
    struct Identity {
        int profile_id = 0;
        std::uint32_t scale_time = 0;
        std::uint16_t weight_raw = 0;
        SystemTime completed_at;
        bool operator==(const Identity& other) const
        {
            return profile_id == other.profile_id && scale_time == other.scale_time &&
                   weight_raw == other.weight_raw;
        }
    };

    static Weighing start(const BodyPacket& packet, SystemTime at, const std::string& source);
    static Identity identity_of(const Weighing& weighing);
    bool already_reported(const BodyPacket& packet, SystemTime at) const;
    void finish(Weighing weighing, SystemTime at, std::vector<Weighing>& out);

    std::chrono::seconds m_grace;
    std::optional<Weighing> m_open;           // an A waiting for its B
    std::optional<PendingHigh> m_early_high;  // a B waiting for its A
    std::optional<Identity> m_reported;       // the last completed weighing
};

}  // namespace ble2garmin::modules::s400
