#include "fit/date_time.hpp"

#include <chrono>
#include <string>

#include "util/time.hpp"

namespace ble2garmin::fit {

Result<std::uint32_t> to_date_time(SystemTime time)
{
    const auto unix_seconds = std::chrono::floor<std::chrono::seconds>(time).time_since_epoch().count();
    const std::int64_t since_epoch = static_cast<std::int64_t>(unix_seconds) - k_fit_epoch_unix;
    if (since_epoch < k_min_absolute_date_time || since_epoch > k_max_date_time) {
        return make_error("time " + std::to_string(unix_seconds) +
                          " (Unix) is outside the FIT date_time range 1998-07-03..2126-02-06");
    }
    return static_cast<std::uint32_t>(since_epoch);
}

SystemTime from_date_time(std::uint32_t date_time)
{
    return from_unix_seconds(k_fit_epoch_unix + static_cast<std::int64_t>(date_time));
}

}  // namespace ble2garmin::fit
