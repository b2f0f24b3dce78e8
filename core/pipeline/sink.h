// Where events take effect. A plain sink applies each effect as it comes; a
// dead-letter sink parks events a stage gave up on. A sink may have outages
// (windows of virtual time in which it refuses every event).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/pipeline/inlet.h"
#include "core/pipeline/observer.h"
#include "core/runtime/runtime.h"

namespace sluice {

struct Outage {
  Nanos start;
  Nanos end;
};

class Sink final : public Inlet {
 public:
  Sink(Runtime& runtime, Observer& observer, SinkIndex index, std::string name, std::vector<Outage> outages = {})
      : runtime_(runtime), observer_(observer), index_(index), name_(std::move(name)), outages_(std::move(outages)) {}
  OfferResult offer(Event event) override {
    if (in_outage(runtime_.now())) return OfferResult::refused;
    observer_.effect(index_, event);
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
};

}  // namespace sluice
