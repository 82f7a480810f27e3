#include "rowing/apportion.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ble2garmin::rowing {

std::vector<std::uint64_t> apportion(std::uint64_t total, const std::vector<double>& raw_weights)
{
    std::vector<double> weights(raw_weights.size());
    std::transform(raw_weights.begin(), raw_weights.end(), weights.begin(),
                   [](double w) { return std::isfinite(w) && w > 0 ? w : 0.0; });
    double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    if (sum <= 0) {
        std::fill(weights.begin(), weights.end(), 1.0);
        sum = static_cast<double>(weights.size());
    }
    std::vector<std::uint64_t> parts(weights.size());
    std::vector<double> remainders(weights.size());
    std::uint64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double share = static_cast<double>(total) * weights[i] / sum;
        parts[i] = std::min(static_cast<std::uint64_t>(std::floor(share)), total - given);
        remainders[i] = share - static_cast<double>(parts[i]);
        given += parts[i];
    }
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
    for (std::size_t i = 0; given < total && !order.empty(); i = (i + 1) % order.size()) {
        ++parts[order[i]];
        ++given;
    }
    return parts;
}

}  // namespace ble2garmin::rowing
