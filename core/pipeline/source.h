// A producer: emits a workload of events into one inlet, blocking when the
// inlet applies backpressure (the next arrival is drawn after the offer
// returns, as a closed-loop client would).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/pipeline/inlet.h"
#include "core/pipeline/observer.h"
#include "core/random/distribution.h"
#include "core/runtime/runtime.h"

namespace sluice {

// For [start, end) arrivals come `factor` times faster (a 10x burst).
struct Burst {
  Nanos start;
  Nanos end;
  double factor;
};

struct SourceConfig {
  SourceIndex index = 0;
  std::string name;
  NodeId node = 0;
  std::uint64_t count = 0;
  Distribution interarrival_ns = Distribution::constant(0);
  Distribution key = Distribution::constant(0);         // sampled, truncated to an integer
  std::int64_t key_offset = 0;                          // added to each key sample (zipf's 1..n -> 0..n-1)
  Distribution size_bytes = Distribution::constant(0);
  Distribution priority = Distribution::constant(0);     // 0..255
  std::vector<Burst> bursts;
};

class Source {
 public:
  Source(Runtime& runtime, Observer& observer, SourceConfig config, Inlet& target);
  // Registers the emitting fiber with the source's node.
  void install();
  std::uint64_t emitted() const { return next_sequence_; }
  bool finished() const { return next_sequence_ >= config_.count; }

 private:
  void emit_all();
  Event make_event(std::uint64_t sequence);
  Nanos next_gap();

  Runtime& runtime_;
  Observer& observer_;
  SourceConfig config_;
  Inlet& target_;
  Rng rng_;
  // Survives a crash of the source's node: the workload continues where it
  // stopped, and the event in hand at the crash was never acknowledged.
  std::uint64_t next_sequence_ = 0;
};

}  // namespace sluice
