// Real-valued probability distributions, written in the project and sampled
// from an Rng. The std:: distributions are not used anywhere: their algorithms
// are unspecified and differ between standard libraries, which would make a
// seed mean different runs on different machines.
//
// A Distribution is a small immutable value (a kind and a few doubles): cheap
// to copy, comparable, and safe to share between simulations because sampling
// keeps no state outside the Rng passed in.
//
// Every parameter is a double, as it arrives from a scenario file; integer
// parameters (uniform_int bounds, zipf n) are validated to be whole numbers
// of magnitude <= 2^53, so that they and every sample are exact doubles.
//
// Only `normal` can produce negative samples. Every other kind is >= 0 when
// its parameters are (uniform, uniform_int and constant can be negative only
// if their bounds or value are).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/random/rng.h"

namespace sluice {

// The names double as the `dist` strings of scenario files.
enum class DistKind {
  constant,
  uniform,
  uniform_int,
  exponential,
  normal,
  lognormal,
  pareto,
  zipf,
  bernoulli
};

std::string_view dist_kind_name(DistKind kind);
std::optional<DistKind> dist_kind_from_name(std::string_view name);

class Distribution {
 public:
  // Each constructor throws std::invalid_argument naming the parameter, the
  // rule and the offending value, e.g. "exponential rate must be > 0 (got -1)".
  // NaN and infinite parameters are rejected everywhere.

  // Always `value`; draws nothing from the Rng.
  static Distribution constant(double value);
  // Real, in [min, max) (max itself only through rounding). REQUIRES min <= max.
  static Distribution uniform(double min, double max);
  // Integers in [min, max], both ends included, returned as doubles.
  static Distribution uniform_int(double min, double max);
  // Mean 1 / rate.
  static Distribution exponential(double rate);
  // The only kind with negative samples. stddev may be 0.
  static Distribution normal(double mean, double stddev);
  // `mean` is the mean of the distribution itself (not of the underlying
  // normal), which is what a scenario author knows ("service time 12ms on
  // average"); sigma is the stddev of the underlying normal: mu = ln(mean) -
  // sigma^2 / 2.
  static Distribution lognormal(double mean, double sigma);
  // Pareto type I: P(X > x) = (scale / x)^shape for x >= scale. The mean is
  // infinite for shape <= 1 and the variance for shape <= 2. A shape below
  // about 0.05 can overflow to +infinity on the most extreme draws.
  static Distribution pareto(double scale, double shape);
  // Integers 1..n with P(k) proportional to k^-s; any s > 0, including 1.
  // Expected O(1) time per draw for any n.
  static Distribution zipf(double n, double s);
  // 1.0 with probability p, else 0.0.
  static Distribution bernoulli(double p);

  // Hot path: a switch over the kind, no allocation, no virtual call. Every
  // kind except constant consumes at least one draw from `rng`.
  double sample(Rng& rng) const;

  // The exact theoretical moments; +infinity where they diverge (pareto).
  // For zipf they cost O(n) summation for n <= 10^6 and O(1) beyond, where an
  // Euler-Maclaurin tail (relative error far below 1e-12) replaces the sum.
  double mean() const;
  double variance() const;

  DistKind kind() const { return kind_; }
  // The parameters in the order the constructor takes them; b() is 0 for the
  // one-parameter kinds (constant, exponential, bernoulli).
  //   constant: a=value        uniform, uniform_int: a=min, b=max
  //   exponential: a=rate      normal: a=mean, b=stddev
  //   lognormal: a=mean, b=sigma   pareto: a=scale, b=shape
  //   zipf: a=n, b=s           bernoulli: a=p
  double a() const { return a_; }
  double b() const { return b_; }

  // E.g. "exponential(rate=1.25)", "zipf(n=500, s=1.1)".
  std::string describe() const;

  bool operator==(const Distribution&) const = default;

 private:
  Distribution(DistKind kind, double a, double b) : kind_(kind), a_(a), b_(b) {}

  double sample_zipf(Rng& rng) const;

  DistKind kind_;
  double a_;
  double b_;
  // Constants derived from a_ and b_ once, at construction, so that sample()
  // does not recompute them: lognormal keeps mu in c0_, pareto -1/shape in
  // c0_; zipf keeps H(1.5) - 1, H(n + 0.5) and the squeeze threshold of
  // rejection-inversion in c0_..c2_.
  double c0_ = 0;
  double c1_ = 0;
  double c2_ = 0;
};

}  // namespace sluice
