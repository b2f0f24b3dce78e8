// The names and shape of a run's pipeline parts, indexed like the core's ids
// (SourceIndex, QueueIndex, StageIndex, SinkIndex): what the history and its
// subscribers need to name a part, judge a record or explain it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/checkpoint/keyed_state.h"
#include "core/model/event.h"
#include "sim/check/explain/causal_log.h"

namespace sluice {

// Names of the pipeline's parts, indexed like the core's ids.
struct PartNames {
  std::vector<std::string> sources;
  std::vector<std::string> queues;
  std::vector<std::uint64_t> queue_capacities;
  std::vector<std::string> stages;
  std::vector<std::size_t> stage_workers;
  std::vector<std::string> sinks;
  std::vector<bool> sink_is_dead_letter;
  std::size_t buffer_queues = 0;  // queues [0, buffer_queues) are buffers, the rest topic partitions
  std::vector<bool> stage_drops_on_give_up;  // per stage: "on_give_up": "drop"
  std::vector<bool> stage_reads_topic;       // per stage: its input is a topic (a lost fetch is redelivered)
  std::vector<std::vector<std::string>> stage_worker_nodes;  // per stage: the node of each worker
  std::vector<std::string> stage_outputs;    // per stage: where it hands events ("to")
  std::vector<std::int64_t> queue_consumers; // per queue: the stage reading it, or -1
  std::vector<OperatorSpec> queue_operators;  // per queue: a checkpointed partition's operator, or none
  std::vector<std::vector<SinkIndex>> source_sinks;  // per source: every sink its events must reach
  // Per queue and per stage: the sinks downstream of it, which a shed there
  // (or a dead letter parked by that stage) excuses from an effect.
  std::vector<std::vector<SinkIndex>> queue_sinks;
  std::vector<std::vector<SinkIndex>> stage_sinks;
  std::vector<std::size_t> queue_topic;  // per queue: its topic's index, or kNotATopic for a buffer
  static constexpr std::size_t kNotATopic = SIZE_MAX;
  bool total_key_order = false;  // the scenario's "key_order": "total"
  PartPlaces places;  // names and nodes, for explanations (empty: parts are named without nodes)
};

}  // namespace sluice
