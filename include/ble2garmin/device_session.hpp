#pragma once
// The contract for devices that must be connected to (Omron cuffs over GATT), beside the
// advertisement contract of device_module.hpp.
//
// A module whose device keeps its measurements in memory answers an advertisement with a session
// (DeviceModule::session_for). The daemon then — on a session thread, never on the advertisement
// path — connects to the device, hands the session a GattLink, and runs it with what the store
// already holds of that device (the cursors). The session returns the records it downloaded; the
// daemon records them, oldest first per stream, through the same pipeline and store as every
// advertisement. At most one session runs per device, under an overall deadline; a session that
// fails is tried again at the device's next advertisement, and nothing it read is recorded twice:
// each record carries its stream and position, and the store remembers the highest position
// stored per device and stream.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ble2garmin/gatt_link.hpp"
#include "ble2garmin/reading.hpp"

namespace ble2garmin {

// A wall-clock date and time of the device's own clock, without zone (cuffs keep local time).
struct DeviceDateTime {
    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
};

// One measurement read from a device's memory.
struct MemoryRecord {
    BloodPressureReading value;
    DeviceUser device_user;     // the device's user slot (key of the module, id 1 or 2)
    std::string stream;         // where it is kept on the device, e.g. "user1"
    std::int64_t position = 0;  // increasing within a stream: the record's time (local seconds)
    DeviceDateTime taken_at;    // the device's clock at the measurement
};

struct SessionInput {
    // The highest position already stored, by stream; a stream absent here was never read.
    std::map<std::string, std::int64_t> cursors;
    // Read every record, whatever the cursors say (`omron read --all`).
    bool read_all = false;
    // The local wall-clock time now (for a clock sync, when the module's options ask for one).
    DeviceDateTime local_now;
};

struct SessionOutput {
    std::vector<MemoryRecord> records;  // oldest first within each stream
    std::vector<std::string> notes;     // one line each, for the log (key programmed, clock set, …)
};

class DeviceSession {
public:
    virtual ~DeviceSession() = default;
    // Drives `link` (already connected, services resolved) to download the device's new records.
    // An Error names the step that failed; the records of a failed session are discarded (the
    // device still holds them and the next session reads them again).
    virtual Result<SessionOutput> run(GattLink& link, const SessionInput& input) = 0;
    // The longest a whole session may take; the link fails every call after it.
    virtual std::chrono::seconds deadline() const { return std::chrono::seconds(120); }
    // After a successful session, advertisements of the device are not answered for this long (a
    // cuff keeps advertising for a minute after a download).
    virtual std::chrono::seconds quiet_period() const { return std::chrono::seconds(60); }
};

}  // namespace ble2garmin
