#include "reports/svg_scale.h"

#include <algorithm>
#include <cmath>

#include "reports/number_format.h"

namespace sluice::reports {

double Scale::operator()(double value) const {
  double t;
  if (log) {
    double v = std::max(value, d0);
    t = (std::log10(v) - std::log10(d0)) / (std::log10(d1) - std::log10(d0));
  } else {
    t = d1 == d0 ? 0.0 : (value - d0) / (d1 - d0);
  }
  return r0 + t * (r1 - r0);
}

double nice_step(double raw_step) {
  if (!(raw_step > 0) || !std::isfinite(raw_step)) return 1;
  double power = std::pow(10.0, std::floor(std::log10(raw_step)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * power >= raw_step * (1 - 1e-9)) return m * power;
  }
  return 10 * power;
}

std::vector<Tick> linear_ticks(double lo, double hi, int target) {
  std::vector<Tick> ticks;
  if (!(hi > lo)) return {{lo, format_tick(lo, 1)}};
  double step = nice_step((hi - lo) / std::max(target, 1));
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1) {
    ticks.push_back({k * step, format_tick(k * step, step)});
  }
  return ticks;
}

std::vector<Tick> log_ticks(double lo, double hi) {
  std::vector<Tick> ticks;
  int first = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  int last = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
  bool short_range = last - first <= 2;
  for (int e = first; e <= last; ++e) {
    double power = std::pow(10.0, e);
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1 && !short_range) continue;
      double v = m * power;
      if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
      ticks.push_back({v, format_tick(v, v)});
    }
  }
  return ticks;
}

}  // namespace sluice::reports
