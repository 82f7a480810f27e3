#include "body/composition.hpp"

namespace ble2garmin::body {
Result<Composition> compose(const Inputs&) { return make_error("not implemented"); }
int age_on(std::chrono::year_month_day, std::chrono::year_month_day) { return 0; }
}  // namespace ble2garmin::body
