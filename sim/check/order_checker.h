// per_key_order: for each key, effects are applied in production order.
// Production order is defined per source (a source's sequence numbers, as
// Kafka orders per producer and partition): independent producers on
// different nodes have no order between them. A scenario that declares
// "key_order": "total" is judged across sources instead (emission time,
// then event id). Memory: one entry per (source, key) and sink.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model/event.h"
#include "sim/check/verdict.h"

namespace sluice {

class OrderChecker {
 public:
  explicit OrderChecker(bool total_order = false) : total_order_(total_order) {}
  // Per sink: a stage that fans out applies each key's events in order at each.
  void effect(const Event& event, Nanos now, SinkIndex sink = 0);
  const Verdict& verdict() const { return verdict_; }

 private:
  struct Last {
    Nanos emitted_at;
    EventId id;
    Nanos applied_at;
  };
  using ByKey = std::unordered_map<std::uint64_t, Last>;
  ByKey& keys_of(SinkIndex sink, SourceIndex source);
  bool total_order_;
  // [sink][source, or 0 under a total order]. Looked up only, never
  // iterated: its order cannot leak into output.
  std::vector<std::vector<ByKey>> last_by_key_;
  Verdict verdict_;
};

}  // namespace sluice
