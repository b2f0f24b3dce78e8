#include "core/random/distribution.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "core/check.h"

namespace sluice {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Integers up to 2^53 in magnitude are exact doubles; beyond, consecutive
// integers collapse, so integer parameters are limited to this range.
constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

// One row per DistKind, in declaration order: the kind's name and the names
// of its parameters a and b (b empty for one-parameter kinds).
struct KindInfo {
  std::string_view name;
  std::string_view a;
  std::string_view b;
};

constexpr std::array<KindInfo, 9> kKinds = {{
    {"constant", "value", ""},
    {"uniform", "min", "max"},
    {"uniform_int", "min", "max"},
    {"exponential", "rate", ""},
    {"normal", "mean", "stddev"},
    {"lognormal", "mean", "sigma"},
    {"pareto", "scale", "shape"},
    {"zipf", "n", "s"},
    {"bernoulli", "p", ""},
}};
static_assert(kKinds.size() == static_cast<std::size_t>(DistKind::bernoulli) + 1,
              "kKinds needs one row per DistKind");

std::size_t index_of(DistKind kind) { return static_cast<std::size_t>(kind); }

// Shortest round-trip form ("1.25", "-1", "inf"): locale-independent, and
// identical on every platform, unlike printf's "%g".
std::string format_number(double x) {
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
  return std::string(buffer.data(), result.ptr);
}

// --- parameter validation ---------------------------------------------------

[[noreturn]] void fail(std::string_view rule, double got) {
  throw std::invalid_argument(std::string(rule) + " (got " + format_number(got) + ")");
}

// `param` is "<kind> <name>", e.g. "exponential rate"; `rule` completes it.
void require(bool ok, std::string_view param, std::string_view rule, double got) {
  if (!ok) fail(std::string(param) + " must " + std::string(rule), got);
}

void require_finite(std::string_view param, double x) {
  require(std::isfinite(x), param, "be finite", x);
}

void require_positive(std::string_view param, double x) {
  require_finite(param, x);
  require(x > 0, param, "be > 0", x);
}

void require_non_negative(std::string_view param, double x) {
  require_finite(param, x);
  require(x >= 0, param, "be >= 0", x);
}

void require_exact_integer(std::string_view param, double x) {
  require_finite(param, x);
  require(x == std::floor(x), param, "be an integer", x);
  require(std::abs(x) <= kMaxExactInteger, param, "be within +-2^53", x);
}

void require_ordered(std::string_view kind, double min, double max) {
  if (!(min <= max)) {
    throw std::invalid_argument(std::string(kind) + " min must be <= max (got min=" +
                                format_number(min) + ", max=" + format_number(max) + ")");
  }
}

// --- normal -------------------------------------------------------------------

// Marsaglia's polar method. It yields two normals per accepted pair; keeping
// the second would make sampling depend on hidden state, so it is dropped and
// a sample is a pure function of the Rng. Uses only log and sqrt (no sin/cos).
double standard_normal(Rng& rng) {
  while (true) {
    const double u = 2 * rng.next_double() - 1;
    const double v = 2 * rng.next_double() - 1;
    const double r2 = u * u + v * v;
    if (r2 > 0 && r2 < 1) return u * std::sqrt(-2 * std::log(r2) / r2);
  }
}

// --- zipf: rejection-inversion ------------------------------------------------
//
// Hoermann and Derflinger, "Rejection-inversion to generate variates from
// monotone discrete distributions" (ACM TOMACS 6(3), 1996), in the form of
// Apache Commons RNG's RejectionInversionZipfSampler. The hat is h(x) = x^-s;
// its integral is taken as H(x) = (x^(1-s) - 1) / (1 - s), which has the limit
// ln(x) at s = 1, so one code path serves every s > 0.

// log(1 + x) / x, by Taylor series near 0 where the quotient loses precision.
double log1p_over_x(double x) {
  if (std::abs(x) > 1e-8) return std::log1p(x) / x;
  return 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}

// (exp(x) - 1) / x, likewise.
double expm1_over_x(double x) {
  if (std::abs(x) > 1e-8) return std::expm1(x) / x;
  return 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x));
}

double zipf_h(double x, double s) { return std::exp(-s * std::log(x)); }

double zipf_h_integral(double x, double s) {
  const double log_x = std::log(x);
  return expm1_over_x((1 - s) * log_x) * log_x;
}

double zipf_h_integral_inverse(double x, double s) {
  // The clamp only absorbs rounding: mathematically t >= -1 on our domain.
  const double t = std::max(x * (1 - s), -1.0);
  return std::exp(log1p_over_x(t) * x);
}

// --- zipf: moments --------------------------------------------------------------

constexpr double kZipfExactSumMax = 1e6;
// With n beyond kZipfExactSumMax, terms below this are summed exactly and the
// rest by Euler-Maclaurin, whose first omitted term is ~m^(p-5) / 30240.
constexpr double kZipfTailStart = 1000;

// Compensated (Neumaier) summation: a million terms of mixed magnitude
// otherwise lose several digits.
class CompensatedSum {
 public:
  void add(double x) {
    const double t = sum_ + x;
    compensation_ += std::abs(sum_) >= std::abs(x) ? (sum_ - t) + x : (x - t) + sum_;
    sum_ = t;
  }
  double value() const { return sum_ + compensation_; }

 private:
  double sum_ = 0;
  double compensation_ = 0;
};

// Sum of k^p for integers k in [from, to], by Euler-Maclaurin with two
// derivative corrections. The integral is written with expm1 so that p = -1
// (the harmonic case) needs no special branch.
double power_sum_tail(double p, double from, double to) {
  const double log_ratio = std::log(to / from);
  const double integral = std::pow(from, p + 1) * log_ratio * expm1_over_x((p + 1) * log_ratio);
  const auto f = [p](double x) { return std::pow(x, p); };
  const auto f1 = [p](double x) { return p * std::pow(x, p - 1); };
  const auto f3 = [p](double x) { return p * (p - 1) * (p - 2) * std::pow(x, p - 3); };
  return integral + (f(from) + f(to)) / 2 + (f1(to) - f1(from)) / 12 - (f3(to) - f3(from)) / 720;
}

struct Moments {
  double mean;
  double variance;
};

// The variance is summed as sum (k - mean)^2 k^-s rather than E[X^2] - mean^2,
// which would cancel catastrophically for large s (almost all mass at 1).
Moments zipf_moments(double n, double s) {
  const bool exact = n <= kZipfExactSumMax;
  const double head_end = exact ? n : kZipfTailStart - 1;
  CompensatedSum weight;
  CompensatedSum first;
  for (double k = 1; k <= head_end; ++k) {
    const double w = std::pow(k, -s);
    weight.add(w);
    first.add(k * w);
  }
  double tail0 = 0, tail1 = 0, tail2 = 0;
  if (!exact) {
    tail0 = power_sum_tail(-s, kZipfTailStart, n);
    tail1 = power_sum_tail(1 - s, kZipfTailStart, n);
    tail2 = power_sum_tail(2 - s, kZipfTailStart, n);
  }
  const double total = weight.value() + tail0;
  const double mean = (first.value() + tail1) / total;
  CompensatedSum central;
  for (double k = 1; k <= head_end; ++k) {
    const double d = k - mean;
    central.add(d * d * std::pow(k, -s));
  }
  central.add(tail2 - 2 * mean * tail1 + mean * mean * tail0);
  return {mean, central.value() / total};
}

// Pareto moments of order r exist only for shape > r.
double pareto_mean(double scale, double shape) {
  return shape <= 1 ? kInfinity : shape * scale / (shape - 1);
}

double pareto_variance(double scale, double shape) {
  if (shape <= 2) return kInfinity;
  return scale * scale * shape / ((shape - 1) * (shape - 1) * (shape - 2));
}

}  // namespace

std::string_view dist_kind_name(DistKind kind) { return kKinds[index_of(kind)].name; }

std::optional<DistKind> dist_kind_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kKinds.size(); ++i) {
    if (kKinds[i].name == name) return static_cast<DistKind>(i);
  }
  return std::nullopt;
}

// --- constructors ---------------------------------------------------------------

Distribution Distribution::constant(double value) {
  require_finite("constant value", value);
  return Distribution(DistKind::constant, value, 0);
}

Distribution Distribution::uniform(double min, double max) {
  require_finite("uniform min", min);
  require_finite("uniform max", max);
  require_ordered("uniform", min, max);
  require_finite("uniform max - min", max - min);
  return Distribution(DistKind::uniform, min, max);
}

Distribution Distribution::uniform_int(double min, double max) {
  require_exact_integer("uniform_int min", min);
  require_exact_integer("uniform_int max", max);
  require_ordered("uniform_int", min, max);
  return Distribution(DistKind::uniform_int, min, max);
}

Distribution Distribution::exponential(double rate) {
  require_positive("exponential rate", rate);
  return Distribution(DistKind::exponential, rate, 0);
}

Distribution Distribution::normal(double mean, double stddev) {
  require_finite("normal mean", mean);
  require_non_negative("normal stddev", stddev);
  return Distribution(DistKind::normal, mean, stddev);
}

Distribution Distribution::lognormal(double mean, double sigma) {
  require_positive("lognormal mean", mean);
  require_non_negative("lognormal sigma", sigma);
  Distribution d(DistKind::lognormal, mean, sigma);
  d.c0_ = std::log(mean) - sigma * sigma / 2;  // mu of the underlying normal
  return d;
}

Distribution Distribution::pareto(double scale, double shape) {
  require_positive("pareto scale", scale);
  require_positive("pareto shape", shape);
  Distribution d(DistKind::pareto, scale, shape);
  d.c0_ = -1 / shape;  // the inverse-transform exponent
  return d;
}

Distribution Distribution::zipf(double n, double s) {
  require_exact_integer("zipf n", n);
  require(n >= 1, "zipf n", "be >= 1", n);
  require_positive("zipf s", s);
  Distribution d(DistKind::zipf, n, s);
  d.c0_ = zipf_h_integral(1.5, s) - 1;
  d.c1_ = zipf_h_integral(n + 0.5, s);
  d.c2_ = 2 - zipf_h_integral_inverse(zipf_h_integral(2.5, s) - zipf_h(2, s), s);
  return d;
}

Distribution Distribution::bernoulli(double p) {
  require_finite("bernoulli p", p);
  require(p >= 0 && p <= 1, "bernoulli p", "be in [0, 1]", p);
  return Distribution(DistKind::bernoulli, p, 0);
}

// --- sampling -------------------------------------------------------------------

double Distribution::sample(Rng& rng) const {
  switch (kind_) {
    case DistKind::constant:
      return a_;
    case DistKind::uniform:
      return a_ + (b_ - a_) * rng.next_double();
    case DistKind::uniform_int:
      // Exact: validated as integers within +-2^53.
      return static_cast<double>(
          rng.uniform_int(static_cast<std::int64_t>(a_), static_cast<std::int64_t>(b_)));
    case DistKind::exponential:
      // Inverse transform; the open interval keeps log away from 0.
      return -std::log(rng.next_double_open()) / a_;
    case DistKind::normal:
      return a_ + b_ * standard_normal(rng);
    case DistKind::lognormal:
      return std::exp(c0_ + b_ * standard_normal(rng));
    case DistKind::pareto:
      // Inverse transform: 1 - U is uniform too, so U itself is used.
      return a_ * std::pow(rng.next_double_open(), c0_);
    case DistKind::zipf:
      return sample_zipf(rng);
    case DistKind::bernoulli:
      return rng.bernoulli(a_) ? 1.0 : 0.0;
  }
  SLUICE_CHECK(false, "unknown DistKind");
  return a_;
}

double Distribution::sample_zipf(Rng& rng) const {
  const double n = a_;
  const double s = b_;
  const double h_integral_x1 = c0_;
  const double h_integral_n = c1_;
  const double squeeze = c2_;
  while (true) {
    // Uniform in (H(1.5) - 1, H(n + 0.5)]: next_double() is in [0, 1).
    const double u = h_integral_n + rng.next_double() * (h_integral_x1 - h_integral_n);
    const double x = zipf_h_integral_inverse(u, s);
    // Rounding can push k just outside [1, n]; clamp it back.
    const double k = std::clamp(std::floor(x + 0.5), 1.0, n);
    // The squeeze accepts most draws without evaluating H again; k = 1 is
    // always accepted by the second test.
    if (k - x <= squeeze || u >= zipf_h_integral(k + 0.5, s) - zipf_h(k, s)) return k;
  }
}

// --- moments --------------------------------------------------------------------

double Distribution::mean() const {
  switch (kind_) {
    case DistKind::constant:
      return a_;
    case DistKind::uniform:
    case DistKind::uniform_int:
      return a_ / 2 + b_ / 2;  // halves first: a_ + b_ could overflow
    case DistKind::exponential:
      return 1 / a_;
    case DistKind::normal:
    case DistKind::lognormal:
      return a_;
    case DistKind::pareto:
      return pareto_mean(a_, b_);
    case DistKind::zipf:
      return zipf_moments(a_, b_).mean;
    case DistKind::bernoulli:
      return a_;
  }
  SLUICE_CHECK(false, "unknown DistKind");
  return 0;
}

double Distribution::variance() const {
  switch (kind_) {
    case DistKind::constant:
      return 0;
    case DistKind::uniform:
      return (b_ - a_) * (b_ - a_) / 12;
    case DistKind::uniform_int: {
      const double count = b_ - a_ + 1;
      return (count * count - 1) / 12;
    }
    case DistKind::exponential:
      return 1 / (a_ * a_);
    case DistKind::normal:
      return b_ * b_;
    case DistKind::lognormal:
      return std::expm1(b_ * b_) * a_ * a_;
    case DistKind::pareto:
      return pareto_variance(a_, b_);
    case DistKind::zipf:
      return zipf_moments(a_, b_).variance;
    case DistKind::bernoulli:
      return a_ * (1 - a_);
  }
  SLUICE_CHECK(false, "unknown DistKind");
  return 0;
}

std::string Distribution::describe() const {
  const KindInfo& info = kKinds[index_of(kind_)];
  std::string out(info.name);
  out += "(" + std::string(info.a) + "=" + format_number(a_);
  if (!info.b.empty()) out += ", " + std::string(info.b) + "=" + format_number(b_);
  out += ")";
  return out;
}

}  // namespace sluice
