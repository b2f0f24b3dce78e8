// The alerts' windowed latency (windowed_latency.h) as a subscriber: each
// effect's latency, kept only when a p99 rule asked for a window.
#pragma once

#include "core/model/records.h"
#include "core/runtime/runtime.h"
#include "sim/alerts/windowed_latency.h"
#include "sim/watch/part_names.h"

namespace sluice {

class LatencyWindowRecords {
 public:
  LatencyWindowRecords(Runtime& runtime, const PartNames& names) : runtime_(runtime), names_(names) {}

  void on(const Effect& rec) {
    if (!window_.enabled() || names_.sink_is_dead_letter[rec.sink]) return;
    const Nanos now = runtime_.now();
    window_.record(now, now - rec.event.emitted_at);
  }
  template <typename R>
  void on(const R&) {}

  WindowedLatency& window() { return window_; }
  const WindowedLatency& window() const { return window_; }

 private:
  Runtime& runtime_;
  const PartNames& names_;
  WindowedLatency window_;
};

}  // namespace sluice
