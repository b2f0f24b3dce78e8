#include "sim/metrics/time_weighted.h"

namespace sluice {

double TimeWeightedGauge::mean(Nanos now) const {
  // With no time elapsed there is nothing to weight by; the value itself is
  // the only honest answer.
  if (now == start_) return static_cast<double>(value_);
  const long double span = static_cast<long double>(now - start_);
  return static_cast<double>(static_cast<long double>(area_until(now)) / span);
}

long double TimeWeightedGauge::integral(Nanos now) const {
  return static_cast<long double>(area_until(now));
}

void TimeWeightedGauge::append(const TimeWeightedGauge& later) {
  area_ = area_until(later.start_) + later.area_;
  last_change_ = later.last_change_;
  value_ = later.value_;
  min_ = std::min(min_, later.min_);
  max_ = std::max(max_, later.max_);
}

}  // namespace sluice
