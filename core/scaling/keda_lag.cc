#include "core/scaling/keda_lag.h"

namespace sluice {

KedaLag keda_lag_metric(double total_lag, std::uint32_t partitions, double lag_threshold, double activation_lag_threshold,
                        bool allow_idle_consumers) {
  KedaLag out;
  out.metric = total_lag;
  out.active = total_lag > activation_lag_threshold;
  if (!allow_idle_consumers && partitions > 0 && total_lag / lag_threshold > partitions) {
    out.metric = partitions * lag_threshold;
    out.capped = true;
  }
  return out;
}

}  // namespace sluice
