#include "visualizer/plot_columns.h"

#include <algorithm>

namespace sluice::viz {

std::vector<PlotColumn> plot_columns(const BucketValues& v, const TimeView& view, double x0, double plot_w,
                                     double min_px, std::vector<std::size_t>* runs) {
  std::vector<PlotColumn> out;
  if (runs != nullptr) runs->clear();
  if (v.starts == nullptr || v.starts->empty() || plot_w <= 0) return out;
  const std::vector<Nanos>& t = *v.starts;
  const double x_end = x0 + plot_w;
  auto first = std::upper_bound(t.begin(), t.end(), view.begin() - v.width);
  std::size_t i = static_cast<std::size_t>(first - t.begin());
  bool open = false;     // a column is being filled
  bool in_gap = true;    // the previous bucket was empty: the next column starts a run
  double weight_sum = 0;
  for (; i < t.size() && t[i] <= view.end(); ++i) {
    const Nanos end = i + 1 == t.size() ? std::max(t[i], std::min(t[i] + v.width, v.run_end)) : t[i] + v.width;
    const double xa = std::max(view.to_x(t[i], x0, plot_w), x0);
    const double xb = std::min(view.to_x(end, x0, plot_w), x_end);
    if (xb < x0 || xa > x_end) continue;
    if (v.weight != nullptr && (*v.weight)[i] <= 0) {
      open = false;
      in_gap = true;
      continue;
    }
    const double lo = (*v.lo)[i], hi = (*v.hi)[i], mid = (*v.mid)[i];
    const double span = static_cast<double>(std::max<Nanos>(end - t[i], 1));
    if (open && out.back().x1 - out.back().x0 < min_px) {
      PlotColumn& c = out.back();
      c.x1 = std::max(c.x1, xb);
      c.lo = std::min(c.lo, lo);
      c.hi = std::max(c.hi, hi);
      c.mid = (c.mid * weight_sum + mid * span) / (weight_sum + span);
      weight_sum += span;
      continue;
    }
    if (in_gap && runs != nullptr) runs->push_back(out.size());
    out.push_back({xa, std::max(xb, xa), lo, hi, mid});
    weight_sum = span;
    open = true;
    in_gap = false;
  }
  return out;
}

}  // namespace sluice::viz
