#include "garmin/http/native_headers.hpp"

#include <charconv>

#include "garmin/http/encoding.hpp"

namespace ble2garmin::garmin {

Headers native_headers()
{
    return {{"User-Agent", "GCM-Android-5.23"},
            {"X-Garmin-User-Agent",
             "com.garmin.android.apps.connectmobile/5.23; ; Google/sdk_gphone64_arm64/google; Android/33; "
             "Dalvik/2.1.0"},
            {"X-Garmin-Paired-App-Version", "10861"},
            {"X-Garmin-Client-Platform", "Android"},
            {"X-App-Ver", "10861"},
            {"X-Lang", "en"},
            {"X-GCExperience", "GC5"},
            {"Accept-Language", "en-US,en;q=0.9"}};
}

std::string basic_client_authorization(std::string_view client_id)
{
    return "Basic " + base64_encode(std::string(client_id) + ":");
}

std::optional<long> parse_retry_after(std::string_view value)
{
    while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
    }
    long seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size() || seconds < 0) {
        return std::nullopt;
    }
    return seconds;
}

std::optional<long> retry_after_of(const HttpResponse& response)
{
    if (auto header = response.header("retry-after")) {
        return parse_retry_after(*header);
    }
    return std::nullopt;
}

}  // namespace ble2garmin::garmin
