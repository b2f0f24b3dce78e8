#include "sim/alerts/windowed_latency.h"

#include <algorithm>

namespace sluice {

void WindowedLatency::record(Nanos now, Nanos latency) {
  if (keep_ == 0) return;
  const std::int64_t second = now / kNanosPerSecond;
  if (slots_.empty() || slots_.back().second != second) slots_.push_back(Slot{second, {}});
  slots_.back().histogram.record(std::max<Nanos>(0, latency));
  const std::int64_t oldest = (now - keep_) / kNanosPerSecond - 1;
  while (!slots_.empty() && slots_.front().second < oldest) slots_.pop_front();
}

std::int64_t WindowedLatency::p99(Nanos now, Nanos window) const {
  const std::int64_t first = (now - window) / kNanosPerSecond;
  Histogram merged;
  for (const Slot& slot : slots_) {
    if (slot.second >= first) merged.merge(slot.histogram);
  }
  return merged.count() == 0 ? -1 : merged.quantile(0.99);
}

}  // namespace sluice
