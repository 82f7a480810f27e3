#pragma once
// A connection to one device over GATT, as a device module sees it (implemented by
// bluez::BluezGattLink; tests use fakes). Every call blocks the session thread only — never the
// advertisement path — and returns within its own timeout or the session's overall deadline,
// whichever comes first; a failure is an Error whose message says which step failed, in words a
// user can act on ("no answer to StartNotify on 49123040-… within 5 s").
//
// Characteristics are named by their lower-case 128-bit UUID; when a device has one UUID twice,
// the first found wins (Omron cuffs have each once).

#include <chrono>
#include <string>
#include <string_view>

#include "ble2garmin/bytes.hpp"
#include "ble2garmin/result.hpp"

namespace ble2garmin {

enum class GattWrite {
    request,  // write with response (BlueZ type "request")
    command,  // write without response (BlueZ type "command")
};

// One value notification: the characteristic it came from and its bytes.
struct GattNotification {
    std::string uuid;
    Bytes value;
};

class GattLink {
public:
    virtual ~GattLink() = default;

    // True when the device is bonded (BlueZ Device1.Paired); an Error when it cannot be read.
    virtual Result<bool> paired() = 0;
    // Pairs (Device1.Pair, just-works through the daemon's agent); an Error when bonding failed.
    virtual Result<void> pair() = 0;
    // True when the connected device offers a service / characteristic with this UUID.
    virtual bool has_service(std::string_view uuid) const = 0;
    virtual bool has_characteristic(std::string_view uuid) const = 0;
    // Notifications on `uuid` on / off; an Error when the characteristic is missing or refuses.
    virtual Result<void> start_notify(std::string_view uuid) = 0;
    virtual Result<void> stop_notify(std::string_view uuid) = 0;
    // Writes `value`; an Error when the device refused or the link dropped.
    virtual Result<void> write(std::string_view uuid, const Bytes& value, GattWrite type) = 0;
    // Reads the current value; an Error when it cannot be read.
    virtual Result<Bytes> read(std::string_view uuid) = 0;
    // The next value notification, waiting at most `timeout`; an Error on timeout ("no
    // notification"), when the device disconnected, or when the session's deadline passed.
    virtual Result<GattNotification> next_notification(std::chrono::milliseconds timeout) = 0;
    // Drops notifications received but not yet taken (before a retransmission).
    virtual void discard_notifications() = 0;
    // False once the device disconnected or the session's deadline passed: nothing more will work.
    virtual bool usable() const = 0;
};

}  // namespace ble2garmin
