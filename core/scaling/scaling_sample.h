// What a controller reads of its stage at each decision, as running totals
// (the HPA's metrics server and KEDA's scaler read the same from Kafka and
// the pods), and the rates between two readings.
#pragma once

#include <cstdint>

#include "core/time.h"

namespace sluice {

struct ScalingSample {
  Nanos at = 0;
  std::uint32_t replicas = 0;        // wanted: ready plus starting (the Deployment's spec.replicas)
  std::uint32_t ready = 0;           // ready replicas (the HPA's readyPodCount)
  std::uint64_t arrived = 0;         // events that entered the stage's input so far
  std::uint64_t processed = 0;       // events the workers finished so far
  Nanos busy_ns = 0;                 // service time spent so far, summed over workers (DS2's useful time)
  std::uint64_t queue_depth = 0;     // events waiting in the input now
  std::uint64_t lag = 0;             // topic: appended minus committed, summed over partitions; buffer: depth
  std::uint32_t partitions = 0;      // 0: the input is a buffer
};

// Rates over the interval between two samples.
struct ScalingWindow {
  double seconds = 0;
  double arrival_rate = 0;     // events per second into the input
  double processed_rate = 0;   // events per second out of the workers
  double busy_fraction = 0;    // per ready replica, 0..1
  double true_rate = 0;        // DS2: events per second of useful time, per replica (0: nothing processed)
};

ScalingWindow window_between(const ScalingSample& before, const ScalingSample& now);

}  // namespace sluice
