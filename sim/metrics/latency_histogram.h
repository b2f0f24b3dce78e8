// Log-linear histograms (in the manner of HdrHistogram) over non-negative int64
// values such as latencies in virtual nanoseconds. Memory is fixed at
// construction, so a run of any length costs the same, and every quantile comes
// with a stated relative error instead of an unknown one.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "core/check.h"

namespace sluice {

// Maps a value to a bucket index. Values below 2^(SubBits+1) get a bucket of
// their own (exact). Above that, each power-of-two range [2^e, 2^(e+1)) is cut
// into 2^SubBits equal sub-buckets of width 2^(e-SubBits), so a bucket is never
// wider than 2^-SubBits of any value it holds. Index = (shift << SubBits) +
// (v >> shift), where shift = max(0, e - SubBits); this is continuous and
// monotonic in v, which is what lets a quantile walk the counts in order.
template <int SubBits>
struct LogLinearLayout {
  static_assert(SubBits >= 1 && SubBits <= 16, "sub-bucket bits out of range");

  // The largest index is that of INT64_MAX: (62 - SubBits) << SubBits plus
  // 2^(SubBits+1) - 1, i.e. (64 - SubBits) << SubBits, minus one.
  static constexpr std::size_t kBucketCount = std::size_t{64 - SubBits} << SubBits;

  static constexpr int shift_of(std::uint64_t u) {
    return std::max(0, static_cast<int>(std::bit_width(u)) - 1 - SubBits);
  }

  static constexpr std::size_t index(std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    const int shift = shift_of(u);
    return (static_cast<std::size_t>(shift) << SubBits) + static_cast<std::size_t>(u >> shift);
  }

  // The inverse of index(): the smallest value in bucket `i` and the bucket width.
  static constexpr int bucket_shift(std::size_t i) {
    const auto high = static_cast<int>(i >> SubBits);
    return high <= 1 ? 0 : high - 1;
  }
  static constexpr std::int64_t lowest(std::size_t i) {
    const int shift = bucket_shift(i);
    const std::size_t mantissa = i - (static_cast<std::size_t>(shift) << SubBits);
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(mantissa) << shift);
  }
  static constexpr std::int64_t width(std::size_t i) { return std::int64_t{1} << bucket_shift(i); }
  static constexpr std::int64_t midpoint(std::size_t i) { return lowest(i) + width(i) / 2; }
};

// A histogram with a fixed array of counters, one per LogLinearLayout bucket.
//
// Error bound: quantile(q) finds the bucket holding the sample of rank
// ceil(q * count) and returns that bucket's MIDPOINT, clamped to [min, max]. A
// bucket of width w holds only values >= w * 2^SubBits, so
//   |quantile(q) - true value| <= true value * 2^-(SubBits+1)
// in the worst case. kRelativeError states the contract, 2^-SubBits, which
// leaves a factor of two in hand. count, sum (hence mean), min and max are exact.
//
// Counter is the per-bucket counter type: uint64_t for run-wide histograms,
// uint32_t where many small histograms are kept (at most 2^32 - 1 samples per
// bucket then; exceeding that is asserted). Only the two instantiations named
// at the bottom of this file are compiled (in latency_histogram.cc).
template <int SubBits, typename Counter>
class LogLinearHistogram {
 public:
  using Layout = LogLinearLayout<SubBits>;
  static constexpr int kSubBits = SubBits;
  static constexpr double kRelativeError = 1.0 / static_cast<double>(1 << SubBits);

  // Hot path: O(1), no allocation. REQUIRES: v >= 0.
  void record(std::int64_t v) {
    SLUICE_CHECK(v >= 0, "a histogram only holds non-negative values");
    Counter& slot = counts_[Layout::index(v)];
    SLUICE_CHECK(slot < std::numeric_limits<Counter>::max(), "histogram bucket counter overflow");
    ++slot;
    ++count_;
    sum_ += v;
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
  }

  std::uint64_t count() const { return count_; }
  // Exact up to the final rounding to double; 0 when empty.
  double mean() const;
  // Exact; 0 when empty.
  std::int64_t min() const { return count_ == 0 ? 0 : min_; }
  std::int64_t max() const { return count_ == 0 ? 0 : max_; }

  // REQUIRES: 0 <= q <= 1. The value of rank ceil(q * count) (at least rank 1),
  // within the bound above; exact min at rank 1 and exact max at rank count;
  // 0 when empty.
  std::int64_t quantile(double q) const;

  // Afterwards this histogram is as if it had recorded everything `other` did.
  void merge(const LogLinearHistogram& other);

 private:
  // The exact sum of up to 2^64 values below 2^63 needs more than 64 bits.
  __extension__ typedef __int128 Sum;

  std::array<Counter, Layout::kBucketCount> counts_{};
  std::uint64_t count_ = 0;
  Sum sum_ = 0;
  std::int64_t min_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t max_ = 0;
};

extern template class LogLinearHistogram<7, std::uint64_t>;
extern template class LogLinearHistogram<3, std::uint32_t>;

// The run-wide latency histogram: SUB_BITS = 7, so every quantile is within
// 2^-7 (< 0.8%) of the true value (2^-8 in the worst case, see above).
// 57 * 128 uint64 counters make the object about 58 KiB: keep it in a
// container or as a member, not as a local on a small fiber stack.
class LatencyHistogram final : public LogLinearHistogram<7, std::uint64_t> {};

}  // namespace sluice
