// Reading series.json into chart buckets (reports/svg_chart.h). Every series
// is {"width_ns": W, "t": [bucket starts], ...}; bucket i covers
// [t[i], t[i] + W), the last one only up to the end of the run.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "reports/svg_chart.h"

namespace sluice::reports {

// A gauge (a queue depth): "min", "max", "mean" per bucket, in events.
std::vector<Bucket> gauge_buckets(const nlohmann::json& series, double end_ns);
// A counter ("count" per bucket) as a rate in events per second of virtual time.
std::vector<Bucket> rate_buckets(const nlohmann::json& series, double end_ns);
// One latency quantile ("p50", "p90", "p99" or "max", in ns) in units of
// `unit_ns` (1e6 for ms); a bucket with "count" 0 has no samples and is a gap.
std::vector<Bucket> quantile_buckets(const nlohmann::json& series, const std::string& key, double end_ns,
                                     double unit_ns);
// The sum of a counter's "count" array.
double total_count(const nlohmann::json& series);

// A fault from the "faults" list, with its span resolved: "end_ns", else
// "at_ns" plus "duration_ns" or "restart_after_ns", else an instant.
struct FaultSpan {
  double at_ns = 0, end_ns = 0;
  std::string kind, target;
  std::string css;          // "f-" + the kind's display class (sim/catalog), or f-other for an unknown kind
  std::string description;  // "crash worker-1 at 60 s for 5 s"
};
std::vector<FaultSpan> fault_spans(const nlohmann::json& faults);

}  // namespace sluice::reports
