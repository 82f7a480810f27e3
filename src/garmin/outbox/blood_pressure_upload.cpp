#include "garmin/outbox/blood_pressure_upload.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/time.hpp"

namespace ble2garmin::garmin {
namespace {

// "YYYY-MM-DDTHH:MM:SS.000" of `unix_time` as local wall time or in UTC.
std::string naive_timestamp(std::int64_t unix_time, bool local)
{
    const SystemTime time = from_unix_seconds(unix_time);
    return (local ? format_iso_naive_local(time) : format_iso_naive_utc(time)) + ".000";
}

}  // namespace

Result<BloodPressureUpload> prepare_blood_pressure_upload(const store::OmronRow& row)
{
    if (row.systolic < k_min_systolic || row.systolic > k_max_systolic || row.diastolic < k_min_diastolic ||
        row.diastolic > k_max_diastolic || row.pulse < k_min_pulse || row.pulse > k_max_pulse) {
        return make_error(
            fmt::format("blood pressure {}/{} mmHg, pulse {} is outside what Garmin accepts "
                        "(systolic {}–{}, diastolic {}–{}, pulse {}–{})",
                        row.systolic, row.diastolic, row.pulse, k_min_systolic, k_max_systolic,
                        k_min_diastolic, k_max_diastolic, k_min_pulse, k_max_pulse));
    }
    BloodPressureUpload upload;
    upload.unix_time = row.unix_time;
    upload.systolic = row.systolic;
    upload.diastolic = row.diastolic;
    upload.pulse = row.pulse;
    nlohmann::ordered_json json;
    json["measurementTimestampLocal"] = naive_timestamp(row.unix_time, true);
    json["measurementTimestampGMT"] = naive_timestamp(row.unix_time, false);
    json["systolic"] = row.systolic;
    json["diastolic"] = row.diastolic;
    json["pulse"] = row.pulse;
    json["sourceType"] = "MANUAL";
    json["notes"] = "";
    upload.json = json.dump();
    return upload;
}

}  // namespace ble2garmin::garmin
