// A y axis that one spike cannot flatten: the top is the 99th percentile of
// the buckets' peaks times 1.5, and anything above it is clipped to the top
// and labelled, so a single 10k/s burst leaves the rest of the chart readable.
#pragma once

#include <string>
#include <vector>

#include "reports/svg_chart.h"

namespace sluice::reports {

struct ClipResult {
  bool clipped = false;
  double limit = 0;    // the axis top the values were clipped to
  double peak = 0;     // the largest value before clipping
  double peak_t_ns = 0;
};

// The clip limit for these series: the 99th percentile of every bucket's
// maximum (buckets with data, across all series) times 1.5. Clips only when
// the peak is above it; with fewer than 20 buckets nothing is clipped.
ClipResult robust_limit(const std::vector<std::vector<Bucket>>& series);
// Caps every bucket's min, mean and max at `limit`.
std::vector<Bucket> clipped(std::vector<Bucket> buckets, double limit);

}  // namespace sluice::reports
