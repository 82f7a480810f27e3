#pragma once
// A download session with an Omron cuff over a GattLink (shared/spec/device-omron.md §3, §4.1, §7,
// §8):
//
//   bond if needed ─► unlock with the key (01 + key → 81 00) ─► RX notifications on
//   ─► start transmission ─► index section ─► each user's records, newest first, back to the
//   newest one already stored ─► [opt-in: unread counters cleared, clock set] ─► end transmission
//
// A cuff that refuses the key but is in pairing mode ("P" flashing: 02 + zeros → 82) gets the key
// programmed (00 + key → 80 00) and is unlocked again. Nothing else is ever written to the cuff
// unless Options::update_unread_counter or Options::sync_time say so.

#include <string>
#include <vector>

#include "ble2garmin/device_session.hpp"

#include "options.hpp"

namespace ble2garmin::modules::omron {

// Programs `key` into a cuff in pairing mode (unlock characteristic 02… → 82, 00 + key → 80 00),
// retrying the first step up to 10 times (each waiting 1 s for the answer) while bonding completes; an Error
// saying what the user should do when the cuff is not in pairing mode.
Result<void> program_key(GattLink& link, const PairingKey& key);

// Unlocks a classic-stack cuff with `key`; an Error when it answers anything but 81 00.
Result<void> unlock(GattLink& link, const PairingKey& key);

class OmronSession final : public DeviceSession {
public:
    explicit OmronSession(Options options) : m_options(std::move(options)) {}
    Result<SessionOutput> run(GattLink& link, const SessionInput& input) override;
    std::chrono::seconds quiet_period() const override { return m_options.quiet; }

private:
    Options m_options;
};

}  // namespace ble2garmin::modules::omron
