#include "rowing/calories.hpp"

#include <cmath>

namespace ble2garmin::rowing {
namespace {

double non_negative(double value)
{
    return std::isfinite(value) && value > 0 ? value : 0.0;
}

}  // namespace

double power_from_speed_w(double speed_mps)
{
    const double speed = non_negative(speed_mps);
    return k_watts_per_speed_cubed * speed * speed * speed;
}

double rowing_kcal(double power_w, double seconds)
{
    return (k_kcal_per_hour_per_watt * non_negative(power_w) + k_kcal_per_hour_base) * non_negative(seconds) /
           3600.0;
}

}  // namespace ble2garmin::rowing
