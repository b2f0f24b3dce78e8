// Bucketed series merged into pixel columns before drawing. Software
// rendering pays per triangle, so a 512-bucket series squeezed into 800
// pixels is drawn as at most one band and one line vertex per column (a
// column at least `min_px` wide) rather than a rectangle and a step per
// bucket. Merging keeps the extremes (min of mins, max of maxes), so a spike
// never disappears; the middle value is the time-weighted mean.
#pragma once

#include <vector>

#include "core/time.h"
#include "visualizer/time_view.h"

namespace sluice::viz {

struct PlotColumn {
  double x0 = 0, x1 = 0;  // pixels
  double lo = 0, hi = 0, mid = 0;
};

struct BucketValues {
  const std::vector<Nanos>* starts = nullptr;  // sorted bucket starts
  Nanos width = 1;                              // bucket width; the last ends at run_end
  Nanos run_end = 0;
  const std::vector<double>* lo = nullptr;      // per bucket
  const std::vector<double>* hi = nullptr;
  const std::vector<double>* mid = nullptr;
  const std::vector<double>* weight = nullptr;  // optional: buckets with weight 0 are gaps (empty latency buckets)
};

// The visible buckets of `values` as columns over a plot starting at pixel
// x0 and `plot_w` wide. Consecutive columns share an edge unless a gap (an
// empty bucket) lies between them, which splits the output into runs:
// `runs` receives the index where each run starts.
std::vector<PlotColumn> plot_columns(const BucketValues& values, const TimeView& view, double x0, double plot_w,
                                     double min_px, std::vector<std::size_t>* runs = nullptr);

}  // namespace sluice::viz
