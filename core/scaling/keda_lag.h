// KEDA's Kafka scaler (kedacore/keda pkg/scalers/kafka_scaler.go) reduced to
// its arithmetic: the metric handed to the HPA is the total lag, capped at
// partitions x lagThreshold unless allowIdleConsumers (a consumer beyond the
// partition count would get no partition and idle); the scaler is active
// while the lag exceeds activationLagThreshold.
#pragma once

#include <cstdint>

namespace sluice {

struct KedaLag {
  double metric = 0;  // what the HPA compares with lag_threshold per replica
  bool active = false;
  bool capped = false;  // the partition cap cut the metric
};

// `partitions` 0: the input is not partitioned (a buffer), nothing to cap.
KedaLag keda_lag_metric(double total_lag, std::uint32_t partitions, double lag_threshold, double activation_lag_threshold,
                        bool allow_idle_consumers);

}  // namespace sluice
