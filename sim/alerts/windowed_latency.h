// Source-to-effect latencies of the recent past, for alert rules on the p99
// over a window: one small histogram per second of virtual time, merged over
// the window when a rule is evaluated. Off (recording nothing) unless a rule
// asks for it.
#pragma once

#include <cstdint>
#include <deque>

#include "core/time.h"
#include "sim/metrics/latency_histogram.h"

namespace sluice {

class WindowedLatency {
 public:
  using Histogram = LogLinearHistogram<3, std::uint32_t>;
  // Keep at least `window` of history (the longest window of any rule).
  void enable(Nanos window) { keep_ = std::max(keep_, window); }
  bool enabled() const { return keep_ > 0; }
  void record(Nanos now, Nanos latency);
  // The p99 of effects in (now - window, now], in ns; nullopt-like -1 when there were none.
  std::int64_t p99(Nanos now, Nanos window) const;

 private:
  struct Slot {
    std::int64_t second;
    Histogram histogram;
  };
  Nanos keep_ = 0;
  std::deque<Slot> slots_;
};

}  // namespace sluice
