// How a stage checkpoints (exactly_once delivery): the interval between
// checkpoints, how long one may take before it is aborted, and how often a
// snapshot is full rather than incremental.
#pragma once

#include <cstdint>
#include <optional>

#include <utility>
#include <vector>

#include "core/model/event.h"
#include "core/model/state_backend.h"
#include "core/runtime/runtime.h"
#include "core/runtime/transport.h"
#include "core/time.h"

namespace sluice {

// The adaptive interval's bounds and targets (core/checkpoint/adaptive_interval.h).
struct AdaptiveCheckpointConfig {
  Nanos min = 100 * kNanosPerMilli;
  Nanos max = 10 * kNanosPerSecond;
  Nanos alignment_target = 50 * kNanosPerMilli;
  std::uint64_t replay_target = 1000;  // records
};

struct CheckpointConfig {
  Nanos interval = kNanosPerSecond;
  Nanos timeout = 10 * kNanosPerSecond;
  std::uint32_t full_every = 10;  // a partition's snapshot is full at least every this many checkpoints
  // "interval": "adaptive": `interval` is then only the start (core/checkpoint/adaptive_interval.h).
  std::optional<AdaptiveCheckpointConfig> adaptive;
};

// What a topic's checkpoint coordinator needs to know of the stage it checkpoints.
struct CheckpointPlan {
  CheckpointConfig config;
  StageIndex stage = 0;
  std::vector<NodeId> workers;  // by worker index
  NodeId sink_node = 0;
  Port sink_port = 0;
  // Further transaction participants (a stage that fans out, or writes
  // topics: their transaction coordinators), committed like the sink.
  std::vector<std::pair<NodeId, Port>> more_sinks{};
  StateBackend backend = StateBackend::snapshot;  // where restores find the operator's state
  std::uint32_t standbys = 0;                      // standby backend: replicas per partition
};

}  // namespace sluice
