#include "app/memory_readings.hpp"

#include <ctime>

#include <fmt/format.h>

#include "store/history/history_rows.hpp"
#include "util/time.hpp"

namespace ble2garmin::app {

Result<Reading> memory_reading(const std::string& module, const std::string& address,
                               const std::string& adapter, const MemoryRecord& record, SystemTime received_at)
{
    const DeviceDateTime& t = record.taken_at;
    auto measured = from_local_fields(t.year, t.month, t.day, t.hour, t.minute, t.second);
    if (!measured) {
        return measured.error();
    }
    Reading reading;
    reading.module = module;
    reading.device_address = address;
    reading.source = adapter;
    reading.received_at = received_at;
    reading.device_time = *measured;
    // One record, whichever session reads it: its place and its values.
    reading.fingerprint =
        fmt::format("{}/{}/{}/{}/{}", record.stream, record.position, record.value.systolic_mmhg,
                    record.value.diastolic_mmhg, record.value.pulse_bpm);
    reading.value = record.value;
    reading.device_user = record.device_user;
    reading.memory = MemoryPlace{record.stream, record.position};
    return reading;
}

std::set<StoredPressure> stored_blood_pressure(const std::filesystem::path& omron_csv)
{
    std::set<StoredPressure> rows;
    std::error_code error;
    if (!std::filesystem::exists(omron_csv, error)) {
        return rows;
    }
    (void)store::read_blood_pressure_history(omron_csv, [&](const store::BloodPressureHistoryRow& row) {
        rows.emplace(row.unix_time, row.systolic, row.diastolic, row.pulse);
    });
    return rows;
}

DeviceDateTime local_date_time(SystemTime time)
{
    const std::time_t t = static_cast<std::time_t>(to_unix_seconds(time));
    std::tm local{};
    localtime_r(&t, &local);
    return {local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec};
}

}  // namespace ble2garmin::app
