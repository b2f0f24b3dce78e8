#include "reports/robust_axis.h"

#include <algorithm>

namespace sluice::reports {

ClipResult robust_limit(const std::vector<std::vector<Bucket>>& series) {
  constexpr std::size_t kFewest = 20;  // too few buckets for a percentile to mean anything
  std::vector<double> peaks;
  ClipResult out;
  for (const std::vector<Bucket>& buckets : series) {
    for (const Bucket& b : buckets) {
      if (!b.has_data) continue;
      peaks.push_back(b.max);
      if (b.max > out.peak) {
        out.peak = b.max;
        out.peak_t_ns = (b.t0_ns + b.t1_ns) / 2;
      }
    }
  }
  if (peaks.size() < kFewest) return out;
  const std::size_t at = (peaks.size() - 1) * 99 / 100;
  std::nth_element(peaks.begin(), peaks.begin() + static_cast<std::ptrdiff_t>(at), peaks.end());
  const double limit = peaks[at] * 1.5;
  if (limit > 0 && out.peak > limit) {
    out.clipped = true;
    out.limit = limit;
  }
  return out;
}

std::vector<Bucket> clipped(std::vector<Bucket> buckets, double limit) {
  for (Bucket& b : buckets) {
    b.min = std::min(b.min, limit);
    b.mean = std::min(b.mean, limit);
    b.max = std::min(b.max, limit);
  }
  return buckets;
}

}  // namespace sluice::reports
