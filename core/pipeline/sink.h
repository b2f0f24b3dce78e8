// Where events take effect. A plain sink applies each effect as it comes; a
// dead-letter sink parks events a stage gave up on. A sink may have outages
// (windows of virtual time in which it refuses every event), and may
// recognise repeats (core/pipeline/sink_dedup.h): an idempotent sink or a
// deduplication window. A suppressed repeat is no effect, but the sink
// answers "accepted" all the same, so the caller stops retrying.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/model/inlet.h"
#include "core/model/observer.h"
#include "core/pipeline/sink_dedup.h"
#include "core/runtime/runtime.h"

namespace sluice {

struct Outage {
  Nanos start;
  Nanos end;
};

class Sink final : public Inlet {
 public:
  Sink(Runtime& runtime, Observer& observer, SinkIndex index, std::string name, std::vector<Outage> outages = {},
       SinkDedupConfig dedup = {})
      : runtime_(runtime),
        observer_(observer),
        index_(index),
        name_(std::move(name)),
        outages_(std::move(outages)),
        dedup_(dedup) {}
  // REQUIRES: the caller runs on the sink's node (its local clock times the window).
  OfferResult offer(Event event) override {
    if (in_outage(runtime_.now())) return OfferResult::refused;
    if (dedup_.repeat(event.id, runtime_.local_now())) {
      observer_.on(DuplicateSuppressed{event, name_.c_str()});
      return OfferResult::accepted;
    }
    observer_.on(Effect{index_, event});
    return OfferResult::accepted;
  }
  const std::string& name() const { return name_; }

 private:
  bool in_outage(Nanos now) const {
    for (const Outage& o : outages_) {
      if (now >= o.start && now < o.end) return true;
    }
    return false;
  }

  Runtime& runtime_;
  Observer& observer_;
  SinkIndex index_;
  std::string name_;
  std::vector<Outage> outages_;
  SinkDedup dedup_;
};

}  // namespace sluice
