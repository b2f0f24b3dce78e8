#include "core/scaling/rate.h"

#include <algorithm>
#include <cmath>

namespace sluice {

std::optional<std::uint32_t> ds2_parallelism(double arrival_rate, double true_rate_per_replica, double target_utilization) {
  if (!(true_rate_per_replica > 0) || !(target_utilization > 0)) return std::nullopt;
  const double needed = arrival_rate / (true_rate_per_replica * target_utilization);
  // A hair below an integer is that integer: rates measured over whole
  // events carry rounding noise that must not add a replica.
  return static_cast<std::uint32_t>(std::min(std::ceil(needed - 1e-6), 1e6));
}

}  // namespace sluice
