// A step function of virtual time, such as a queue depth. A depth sampled per
// event over-weights busy moments; weighting each value by how long it held
// gives the mean an observer would see watching the queue the whole time.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/check.h"
#include "core/time.h"

namespace sluice {

// Holds `initial_value` from `start` until the first set(). min() and max()
// cover every value held, including the initial one and values that held for
// zero time (two sets at the same instant), so a spike is never hidden.
// The area is kept exactly (128-bit), so long runs with large values lose nothing.
class TimeWeightedGauge {
 public:
  explicit TimeWeightedGauge(Nanos start = 0, std::int64_t initial_value = 0)
      : start_(start), last_change_(start), value_(initial_value),
        min_(initial_value), max_(initial_value) {}

  // Hot path. REQUIRES: `now` is not before the previous set()/add().
  void set(Nanos now, std::int64_t value) {
    SLUICE_CHECK(now >= last_change_, "virtual time went backwards");
    area_ += Area{value_} * (now - last_change_);
    last_change_ = now;
    value_ = value;
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  void add(Nanos now, std::int64_t delta) { set(now, value_ + delta); }

  std::int64_t value() const { return value_; }
  std::int64_t max() const { return max_; }
  std::int64_t min() const { return min_; }
  Nanos start() const { return start_; }

  // Time-weighted mean over [start, now]; the current value if now == start.
  // REQUIRES: `now` is not before the last change.
  double mean(Nanos now) const;
  // Area under the curve over [start, now], in value * ns.
  long double integral(Nanos now) const;

  // Continues this gauge with `later`, which starts where this one is cut off:
  // the current value holds until later.start(), then `later` takes over. This
  // is how adjacent time buckets of a series are merged without losing area,
  // min or max. REQUIRES: later.start() is not before the last change.
  void append(const TimeWeightedGauge& later);

 private:
  __extension__ typedef __int128 Area;

  Area area_until(Nanos now) const {
    SLUICE_CHECK(now >= last_change_, "asked about a time before the last change");
    return area_ + Area{value_} * (now - last_change_);
  }

  Nanos start_;
  Nanos last_change_;
  std::int64_t value_;
  std::int64_t min_;
  std::int64_t max_;
  Area area_ = 0;  // over [start_, last_change_]
};

}  // namespace sluice
