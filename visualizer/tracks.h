// The bucketed series a run is drawn from: a gauge (queue depth, ready
// replicas) as min/max/mean per bucket, a counter per bucket, latency
// quantiles per bucket. Bounded by the runner (512 buckets per series).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace sluice::viz {

// Bucket i covers [t[i], t[i] + width) (the last one: up to the run's end).
struct DepthTrack {
  std::string name;
  std::uint64_t capacity = 0;  // 0: unbounded
  Nanos width = 1;
  std::vector<Nanos> t;
  std::vector<double> min, max, mean;
  double max_depth = 0;  // over the whole run
  double mean_depth = 0;
  std::optional<std::int64_t> current;  // live: the exact depth now
};

struct CountTrack {
  std::string name;
  Nanos width = 1;
  std::vector<Nanos> t;
  std::vector<double> count;
};

struct LatencyTrack {
  Nanos width = 1;
  std::vector<Nanos> t;
  std::vector<double> count, p50, p90, p99, max;
};

}  // namespace sluice::viz
