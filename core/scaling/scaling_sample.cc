#include "core/scaling/scaling_sample.h"

#include <algorithm>

namespace sluice {

ScalingWindow window_between(const ScalingSample& before, const ScalingSample& now) {
  ScalingWindow w;
  const Nanos span = now.at - before.at;
  if (span <= 0) return w;
  w.seconds = to_seconds(span);
  const double processed = static_cast<double>(now.processed - before.processed);
  const Nanos busy = now.busy_ns - before.busy_ns;
  w.arrival_rate = static_cast<double>(now.arrived - before.arrived) / w.seconds;
  w.processed_rate = processed / w.seconds;
  // Ready replicas at the end of the window: a replica that started inside
  // it was busy for less, so the fraction errs low, as the HPA's does for a
  // pod still warming up.
  if (now.ready > 0) w.busy_fraction = std::min(1.0, to_seconds(busy) / (w.seconds * now.ready));
  // DS2: records processed over useful time only, so waiting for input or
  // for downstream credit does not make a replica look slow.
  if (busy > 0) w.true_rate = processed / to_seconds(busy);
  return w;
}

}  // namespace sluice
