#include "record.hpp"

#include <algorithm>
#include <chrono>
#include <string>

namespace ble2garmin::modules::omron {
namespace {

bool all_ff(std::span<const std::uint8_t> bytes)
{
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0xFF; });
}

// The date/time fields packed the same way in both layouts (v/V and w/W above).
void unpack_time(Record& record, unsigned v, unsigned w)
{
    record.taken_at.hour = static_cast<int>(v & 0x1F);
    record.taken_at.day = static_cast<int>((v >> 5) & 0x1F);
    record.taken_at.month = static_cast<int>((v >> 10) & 0x0F);
    record.taken_at.minute = static_cast<int>((w >> 6) & 0x3F);
    // Seconds above 59 occur upstream (6 bits); omblepy clamps them.
    record.taken_at.second = std::min(static_cast<int>(w & 0x3F), 59);
}

Result<void> check_time(const DeviceDateTime& t)
{
    using namespace std::chrono;
    const year_month_day date{year{t.year}, month{static_cast<unsigned>(t.month)},
                              day{static_cast<unsigned>(t.day)}};
    if (!date.ok()) {
        return make_error("the record's date " + std::to_string(t.year) + "-" + std::to_string(t.month) +
                          "-" + std::to_string(t.day) + " does not exist");
    }
    if (t.hour > 23 || t.minute > 59) {
        return make_error("the record's time " + std::to_string(t.hour) + ":" + std::to_string(t.minute) +
                          " does not exist");
    }
    return {};
}

bool in(int value, int low, int high)
{
    return value >= low && value <= high;
}

}  // namespace

std::int64_t local_seconds(const DeviceDateTime& t)
{
    using namespace std::chrono;
    const sys_days date{year_month_day{year{t.year}, month{static_cast<unsigned>(t.month)},
                                       day{static_cast<unsigned>(t.day)}}};
    return date.time_since_epoch().count() * 86400LL + t.hour * 3600LL + t.minute * 60LL + t.second;
}

Result<std::optional<Record>> decode_record(const Model& model, std::span<const std::uint8_t> b)
{
    if (b.size() != model.record_size) {
        return make_error("a " + std::string(model.name) + " record is " + std::to_string(model.record_size) +
                          " bytes, not " + std::to_string(b.size()));
    }
    if (all_ff(b)) {
        return std::optional<Record>();
    }
    Record record;
    if (model.endian == Endian::little) {
        if (model.rules == RecordRules::empty_above_e1 && b[0] > 0xE1) {
            return std::optional<Record>();
        }
        record.systolic = b[0] + 25;
        record.diastolic = b[1];
        record.pulse = b[2];
        record.taken_at.year = 2000 + (b[3] & 0x3F);
        const unsigned v = b[4] | (static_cast<unsigned>(b[5]) << 8);
        const unsigned w = b[6] | (static_cast<unsigned>(b[7]) << 8);
        unpack_time(record, v, w);
        record.irregular_heartbeat = ((v >> 14) & 1) != 0;
        record.movement = ((v >> 15) & 1) != 0;
    } else {
        record.diastolic = b[0];
        record.systolic = b[1] + 25;
        record.taken_at.year = 2000 + (model.year_6_bits ? (b[2] & 0x3F) : b[2]);
        record.pulse = b[3];
        const unsigned v = (static_cast<unsigned>(b[4]) << 8) | b[5];
        const unsigned w = (static_cast<unsigned>(b[6]) << 8) | b[7];
        unpack_time(record, v, w);
        const bool bit15 = ((v >> 15) & 1) != 0;
        const bool bit14 = ((v >> 14) & 1) != 0;
        record.movement = model.flags_swapped ? bit14 : bit15;
        record.irregular_heartbeat = model.flags_swapped ? bit15 : bit14;
    }
    if (model.rules == RecordRules::checked_7377) {
        const auto& t = record.taken_at;
        // The 7377t1 leaves stale bytes in unused slots: a slot without a plausible date is empty.
        if (t.year < 2020 || !in(t.month, 1, 12) || !in(t.day, 1, 31) || t.hour > 23 || t.minute > 59) {
            return std::optional<Record>();
        }
        if (!in(record.systolic, 60, 250) || !in(record.diastolic, 30, 150) || !in(record.pulse, 30, 200)) {
            return make_error("values out of the cuff's range: " + std::to_string(record.systolic) + "/" +
                              std::to_string(record.diastolic) + " mmHg, pulse " +
                              std::to_string(record.pulse));
        }
        if (b[13] == 0x01) {
            record.user = 1;
        } else if (b[13] == 0xFF) {
            record.user = 2;
        }
    }
    if (auto valid = check_time(record.taken_at); !valid) {
        return valid.error();
    }
    return std::optional<Record>(record);
}

}  // namespace ble2garmin::modules::omron
