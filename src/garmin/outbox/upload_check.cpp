#include "garmin/outbox/upload_check.hpp"

#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/time.hpp"

namespace ble2garmin::garmin {
namespace {

// "YYYY-MM-DD" of `unix_time` in the process time zone (Garmin files weigh-ins by local day).
std::string local_date(std::int64_t unix_time)
{
    return format_iso_date_local(from_unix_seconds(unix_time));
}

bool has_weigh_in(const nlohmann::json& body, std::int64_t unix_time)
{
    const auto list = body.find("dateWeightList");
    if (list == body.end() || !list->is_array()) {
        return false;
    }
    for (const auto& item : *list) {
        const auto gmt = item.find("timestampGMT");
        if (gmt != item.end() && gmt->is_number() &&
            gmt->get<double>() / 1000.0 == static_cast<double>(unix_time)) {
            return true;
        }
    }
    return false;
}

bool has_blood_pressure(const nlohmann::json& body, const std::string& gmt_text)
{
    const auto summaries = body.find("measurementSummaries");
    if (summaries == body.end() || !summaries->is_array()) {
        return false;
    }
    for (const auto& summary : *summaries) {
        const auto measurements = summary.find("measurements");
        if (measurements == summary.end() || !measurements->is_array()) {
            continue;
        }
        for (const auto& item : *measurements) {
            const auto gmt = item.find("measurementTimestampGMT");
            // Garmin may add a zone suffix or drop the milliseconds: compare the seconds.
            if (gmt != item.end() && gmt->is_string() &&
                gmt->get<std::string>().substr(0, 19) == gmt_text.substr(0, 19)) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace

std::optional<std::string> find_upload_problem(ConnectClient& client, const OutboxJob& job,
                                               const ReadBackOptions& options)
{
    const std::string day = local_date(job.unix_time());
    ApiRequest request;
    std::string gmt_text;
    if (job.scale() != nullptr) {
        request.path = "/weight-service/weight/dayview/" + day + "?includeAll=true";
    } else {
        request.path = "/bloodpressure-service/bloodpressure/range/" + day + "/" + day + "?includeAll=true";
        gmt_text = nlohmann::json::parse(job.blood_pressure()->json).value("measurementTimestampGMT", "");
    }
    for (int attempt = 1; attempt <= options.attempts; ++attempt) {
        const ApiResponse response = client.call(request);
        if (response.outcome != ApiOutcome::success) {
            return "it could not be read back (" + response.message + ")";
        }
        nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
        if (body.is_discarded()) {
            return std::string("it could not be read back (the answer was not JSON)");
        }
        const bool found =
            job.scale() != nullptr ? has_weigh_in(body, job.unix_time()) : has_blood_pressure(body, gmt_text);
        if (found) {
            return std::nullopt;
        }
        if (attempt < options.attempts) {
            std::this_thread::sleep_for(options.pause);
        }
    }
    return fmt::format("it does not show in Garmin Connect for {} after {} reads", day, options.attempts);
}

}  // namespace ble2garmin::garmin
