// Downsampled time series for series.json: bounded in size whatever the run
// length. The run length is not known in advance, so the bucket width is not
// either: a series starts fine-grained and, whenever time would need more than
// `max_buckets` buckets, merges adjacent pairs and doubles the width. Memory is
// O(max_buckets) forever, and merging is exact for what each bucket keeps
// (min, max, area, counts, histograms), so coarsening never invents or hides data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/check.h"
#include "core/time.h"
#include "sim/metrics/latency_histogram.h"
#include "sim/metrics/time_weighted.h"

namespace sluice {
namespace series_internal {

// The bucket management shared by all series. Bucket i always covers
// [i * width, (i + 1) * width) from time 0, so pairs merge into aligned buckets.
// Slot is what one bucket keeps; it must offer merge(const Slot& later).
// `open(const Slot* previous, Nanos start)` makes the slot for a new bucket
// (previous is the bucket before it, or null for the first).
template <typename Slot>
class BoundedBuckets {
 public:
  BoundedBuckets(Nanos initial_width, std::size_t max_buckets)
      : width_(initial_width), max_buckets_(max_buckets) {
    SLUICE_CHECK(initial_width > 0, "bucket width must be positive");
    SLUICE_CHECK(max_buckets >= 2, "coarsening needs room for at least a pair");
  }

  // Hot path, amortised O(1): the slot of the bucket holding `now`.
  // REQUIRES: `now` is not before any earlier time given to this series.
  template <typename Open>
  Slot& advance(Nanos now, Open&& open) {
    SLUICE_CHECK(now >= now_, "virtual time went backwards");
    now_ = now;
    if (now < covered_end_) [[likely]] return slots_.back();
    return cover(now, open);
  }

  // Declares that the series runs until `end`, opening empty buckets up to it.
  // A run ending exactly on a boundary opens no empty bucket after it.
  template <typename Open>
  void finish(Nanos end, Open&& open) {
    SLUICE_CHECK(end >= now_, "finish before the last update");
    cover(end > 0 ? end - 1 : 0, open);
    now_ = end;
  }

  Nanos width() const { return width_; }
  std::size_t size() const { return slots_.size(); }
  const std::vector<Slot>& slots() const { return slots_; }
  Nanos start_of(std::size_t i) const { return static_cast<Nanos>(i) * width_; }
  // Where the data of bucket i stops: its end, or the latest time seen for the last one.
  Nanos end_of(std::size_t i) const {
    return i + 1 < slots_.size() ? start_of(i + 1) : now_;
  }

 private:
  template <typename Open>
  Slot& cover(Nanos t, Open& open) {
    while (bucket_of(t) >= max_buckets_) coarsen();
    const std::size_t target = bucket_of(t);
    while (slots_.size() <= target) {
      const Slot* previous = slots_.empty() ? nullptr : &slots_.back();
      Slot next = open(previous, start_of(slots_.size()));
      slots_.push_back(std::move(next));
    }
    // Saturate: near the end of int64 time the next boundary is not representable.
    covered_end_ = slots_.size() > static_cast<std::size_t>(kNever / width_)
                       ? kNever
                       : start_of(slots_.size());
    return slots_.back();
  }

  std::size_t bucket_of(Nanos t) const { return static_cast<std::size_t>(t / width_); }

  // Merges pairs (0,1), (2,3), ... into buckets of twice the width. An odd
  // last bucket becomes the first half of its new, wider bucket.
  void coarsen() {
    SLUICE_CHECK(width_ <= kNever / 2, "bucket width overflow");
    const std::size_t n = slots_.size();
    for (std::size_t j = 0; 2 * j < n; ++j) {
      if (j > 0) slots_[j] = std::move(slots_[2 * j]);
      if (2 * j + 1 < n) slots_[j].merge(slots_[2 * j + 1]);
    }
    slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>((n + 1) / 2), slots_.end());
    width_ *= 2;
  }

  std::vector<Slot> slots_;
  Nanos width_;
  std::size_t max_buckets_;
  Nanos now_ = 0;
  Nanos covered_end_ = 0;  // end of the last bucket
};

// What one GaugeSeries bucket keeps: the step function over the bucket's span.
struct GaugeSlot {
  TimeWeightedGauge gauge;
  void merge(const GaugeSlot& later) { gauge.append(later.gauge); }
};

struct CounterSlot {
  std::uint64_t count = 0;
  void merge(const CounterSlot& later) { count += later.count; }
};

}  // namespace series_internal

// A step-function gauge (e.g. a queue depth) over time: per bucket the min,
// max and time-weighted mean of the value over the bucket's span. The value is
// 0 from time 0 until the first set() and carries over bucket boundaries. A
// value held for even 0 or 1 ns stays in its bucket's min/max through any
// number of merges.
class GaugeSeries {
 public:
  struct Bucket {
    Nanos start;
    std::int64_t min, max;
    double mean;
  };

  explicit GaugeSeries(Nanos initial_width, std::size_t max_buckets = 512)
      : buckets_(initial_width, max_buckets) {}

  // Hot path, amortised O(1). REQUIRES: `now` does not go backwards.
  void set(Nanos now, std::int64_t value) {
    buckets_.advance(now, open_bucket).gauge.set(now, value);
  }
  // Extends the series to `end` (the last bucket's mean covers up to `end`).
  // Updates may continue afterwards, from `end` on.
  void finish(Nanos end) { buckets_.finish(end, open_bucket); }

  Nanos width() const { return buckets_.width(); }
  std::size_t size() const { return buckets_.size(); }
  std::vector<Bucket> buckets() const;
  // {"width_ns": W, "t": [...], "min": [...], "max": [...], "mean": [...]}
  nlohmann::json to_json() const;

 private:
  using Slot = series_internal::GaugeSlot;
  static Slot open_bucket(const Slot* previous, Nanos start) {
    return Slot{TimeWeightedGauge(start, previous != nullptr ? previous->gauge.value() : 0)};
  }

  series_internal::BoundedBuckets<Slot> buckets_;
};

// Event counts per bucket, for throughput, sheds and retries.
class CounterSeries {
 public:
  struct Bucket {
    Nanos start;
    std::uint64_t count;
  };

  explicit CounterSeries(Nanos initial_width, std::size_t max_buckets = 512)
      : buckets_(initial_width, max_buckets) {}

  // Hot path, amortised O(1). REQUIRES: `now` does not go backwards.
  void add(Nanos now, std::uint64_t n = 1) { buckets_.advance(now, open_bucket).count += n; }
  // Extends the series to `end`, so trailing quiet buckets show as zeros.
  void finish(Nanos end) { buckets_.finish(end, open_bucket); }

  Nanos width() const { return buckets_.width(); }
  std::size_t size() const { return buckets_.size(); }
  std::vector<Bucket> buckets() const;
  // Events per second of virtual time over the part of the bucket the run
  // covered: the last bucket is measured up to finish() (or the last add), so
  // call finish() first; 0 for a bucket covering no time.
  double rate_per_s(const Bucket& bucket) const;
  // {"width_ns": W, "t": [...], "count": [...]}
  nlohmann::json to_json() const;

 private:
  using Slot = series_internal::CounterSlot;
  static Slot open_bucket(const Slot*, Nanos) { return Slot{}; }

  series_internal::BoundedBuckets<Slot> buckets_;
};

// Latency quantiles over time: per bucket a coarse log-linear histogram with
// SUB_BITS = 3, so p50/p90/p99 are within 2^-3 (12.5%) of the true quantile of
// the samples recorded in that bucket (2^-4 in the worst case); count and max
// are exact. About 2 KiB per bucket (488 uint32 counters), so 1 MiB at 512
// buckets; at most 2^32 - 1 samples may share a bucket of the histogram.
class QuantileSeries {
 public:
  using Histogram = LogLinearHistogram<3, std::uint32_t>;
  static constexpr double kRelativeError = Histogram::kRelativeError;

  // An empty bucket reports count 0 and zeros for the rest.
  struct Bucket {
    Nanos start;
    std::uint64_t count;
    std::int64_t p50, p90, p99, max;
  };

  explicit QuantileSeries(Nanos initial_width, std::size_t max_buckets = 512)
      : buckets_(initial_width, max_buckets) {}

  // Hot path, amortised O(1). REQUIRES: `now` does not go backwards, value >= 0.
  void record(Nanos now, std::int64_t value) { buckets_.advance(now, open_bucket).record(value); }
  void finish(Nanos end) { buckets_.finish(end, open_bucket); }

  Nanos width() const { return buckets_.width(); }
  std::size_t size() const { return buckets_.size(); }
  std::vector<Bucket> buckets() const;
  // {"width_ns": W, "t": [...], "count": [...], "p50": [...], "p90": [...],
  //  "p99": [...], "max": [...]}
  nlohmann::json to_json() const;

 private:
  static Histogram open_bucket(const Histogram*, Nanos) { return Histogram{}; }

  series_internal::BoundedBuckets<Histogram> buckets_;
};

}  // namespace sluice
