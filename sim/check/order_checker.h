// per_key_order: for each key, effects are applied in production order
// (emission time, then event id). Memory: one entry per key.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/pipeline/event.h"
#include "sim/check/verdict.h"

namespace sluice {

class OrderChecker {
 public:
  // Per sink: a stage that fans out applies each key's events in order at each.
  void effect(const Event& event, Nanos now, SinkIndex sink = 0);
  const Verdict& verdict() const { return verdict_; }

 private:
  struct Last {
    Nanos emitted_at;
    EventId id;
    Nanos applied_at;
  };
  // Looked up only, never iterated: its order cannot leak into output.
  std::vector<std::unordered_map<std::uint64_t, Last>> last_by_key_;  // by sink
  Verdict verdict_;
};

}  // namespace sluice
