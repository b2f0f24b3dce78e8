// Axis scales and ticks for the report charts: linear or base-10 logarithmic
// maps from data to pixels, and ticks on "nice" 1-2-5 steps.
#pragma once

#include <string>
#include <vector>

namespace sluice::reports {

// A map from a domain to pixels, linear or base-10 logarithmic (the domain
// must then be positive; smaller values are clamped to its lower end).
struct Scale {
  double d0 = 0, d1 = 1;
  double r0 = 0, r1 = 1;
  bool log = false;
  double operator()(double value) const;
};

struct Tick {
  double value;
  std::string label;
};

// A 1, 2 or 5 times a power of ten, at least `raw_step`.
double nice_step(double raw_step);
// About `target` ticks covering [lo, hi], on multiples of a nice step.
std::vector<Tick> linear_ticks(double lo, double hi, int target);
// Ticks at powers of ten within [lo, hi] (and 2x, 5x when the range is short).
std::vector<Tick> log_ticks(double lo, double hi);

}  // namespace sluice::reports
