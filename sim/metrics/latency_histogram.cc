#include "sim/metrics/latency_histogram.h"

#include <cmath>

namespace sluice {
namespace {

// The layout must be continuous, exact at the bottom and cover all of int64.
template <int SubBits>
constexpr bool layout_is_sound() {
  using L = LogLinearLayout<SubBits>;
  constexpr std::int64_t kExactBelow = std::int64_t{2} << SubBits;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  return L::index(kExactBelow - 1) == static_cast<std::size_t>(kExactBelow - 1) &&
         L::index(kExactBelow) == static_cast<std::size_t>(kExactBelow) &&
         L::width(L::index(kExactBelow)) == 2 &&
         L::index(kMax) == L::kBucketCount - 1 &&
         L::lowest(L::kBucketCount - 1) + (L::width(L::kBucketCount - 1) - 1) == kMax;
}
static_assert(layout_is_sound<7>());
static_assert(layout_is_sound<3>());

// The 1-based rank that quantile q names: ceil(q * count), kept in [1, count].
std::uint64_t rank_of(double q, std::uint64_t count) {
  const double rank = std::ceil(q * static_cast<double>(count));
  if (rank <= 1.0) return 1;
  if (rank >= static_cast<double>(count)) return count;
  return static_cast<std::uint64_t>(rank);
}

}  // namespace

template <int SubBits, typename Counter>
double LogLinearHistogram<SubBits, Counter>::mean() const {
  if (count_ == 0) return 0.0;
  return static_cast<double>(static_cast<long double>(sum_) / static_cast<long double>(count_));
}

template <int SubBits, typename Counter>
std::int64_t LogLinearHistogram<SubBits, Counter>::quantile(double q) const {
  SLUICE_CHECK(q >= 0.0 && q <= 1.0, "quantile outside [0, 1]");
  if (count_ == 0) return 0;
  const std::uint64_t rank = rank_of(q, count_);
  // The extreme ranks are known exactly, so they are never approximated.
  if (rank == 1) return min_;
  if (rank == count_) return max_;
  std::uint64_t seen = 0;
  const std::size_t last = Layout::index(max_);
  for (std::size_t i = Layout::index(min_); i <= last; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(Layout::midpoint(i), min_, max_);
  }
  SLUICE_CHECK(false, "bucket counts do not add up to count()");
  return max_;
}

template <int SubBits, typename Counter>
void LogLinearHistogram<SubBits, Counter>::merge(const LogLinearHistogram& other) {
  // No bucket holds more than its histogram's count, so when the two counts
  // together fit in a Counter no bucket sum can overflow: the per-bucket
  // check is provably redundant then, and the loop vectorises (a series'
  // coarsening merges hundreds of 488-bucket histograms at a time).
  if (count_ <= std::numeric_limits<Counter>::max() - std::min<std::uint64_t>(other.count_, std::numeric_limits<Counter>::max())) {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  } else {
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      SLUICE_CHECK(counts_[i] <= std::numeric_limits<Counter>::max() - other.counts_[i], "histogram bucket counter overflow");
      counts_[i] += other.counts_[i];
    }
  }
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

template class LogLinearHistogram<7, std::uint64_t>;
template class LogLinearHistogram<3, std::uint32_t>;

}  // namespace sluice
