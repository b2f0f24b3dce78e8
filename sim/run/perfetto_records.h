// The Perfetto writer's subscriber: the core records that have a track in
// trace.perfetto.json (queue depth counters, service spans, failed attempts,
// committed offsets, and stage marks for fencing, rebalances, checkpoints and
// restores). Records with no track of their own fall to the empty template:
// the trace.jsonl subscriber (trace_records.h) is the one that must name all.
#pragma once

#include <string>
#include <vector>

#include "core/model/records.h"
#include "core/runtime/runtime.h"
#include "sim/watch/delivery_check.h"
#include "sim/check/explain/causal_log.h"
#include "sim/watch/part_names.h"
#include "sim/run/perfetto_writer.h"
#include "sim/run/pipeline_metrics.h"
#include "sim/world/world_records.h"

namespace sluice {

class PerfettoRecords {
 public:
  // `metrics`: when each worker's current service began (read before the history updates it).
  PerfettoRecords(Runtime& runtime, const PartNames& names, const PipelineMetrics& metrics)
      : runtime_(runtime), names_(names), metrics_(metrics) {}

  void on(PerfettoWriter& out, const Enqueued& r) { out.queue_depth(r.queue, now(), r.depth); }
  void on(PerfettoWriter& out, const Dequeued& r) { out.queue_depth(r.queue, now(), r.depth); }
  void on(PerfettoWriter& out, const Shed& r) { out.queue_depth(r.queue, now(), r.depth); }
  void on(PerfettoWriter& out, const LostInCrash& r) { out.queue_depth(r.queue, now(), r.depth); }
  void on(PerfettoWriter& out, const Trimmed& r) { out.queue_depth(r.partition, now(), r.depth); }
  void on(PerfettoWriter& out, const ServiceFinished& r) { service_span(out, r.stage, r.worker, r.event, false); }
  void on(PerfettoWriter& out, const ServiceAborted& r) { service_span(out, r.stage, r.worker, r.event, true); }
  void on(PerfettoWriter& out, const AttemptFailed& r) {
    out.attempt_failed(r.stage, r.worker, now(), r.event.id, r.attempt, r.reason);
  }
  void on(PerfettoWriter& out, const OffsetCommitted& r) { out.committed(r.partition, now(), r.offset); }
  void on(PerfettoWriter& out, const CommitFenced& r);
  void on(PerfettoWriter& out, const Rebalanced& r);
  void on(PerfettoWriter& out, const CheckpointCompleted& r);
  void on(PerfettoWriter& out, const CheckpointAborted& r);
  void on(PerfettoWriter& out, const StateRestored& r);
  // A fault's mark on each node it hits: an instant when it begins, a span when it heals.
  void on(PerfettoWriter& out, const FaultBegan& r) { fault(out, r.fault, true); }
  void on(PerfettoWriter& out, const FaultHealed& r) { fault(out, r.fault, false); }
  template <typename Record>
  void on(PerfettoWriter&, const Record&) {}
  // Names the fault tracks, one per node.
  void set_nodes(std::vector<std::string> nodes) { nodes_ = std::move(nodes); }

 private:
  void service_span(PerfettoWriter& out, StageIndex stage, std::uint32_t worker, const Event& event, bool aborted);
  void fault(PerfettoWriter& out, const FaultSpec& fault, bool begins);
  Nanos now() const { return runtime_.now(); }

  Runtime& runtime_;
  const PartNames& names_;
  const PipelineMetrics& metrics_;
  std::vector<std::string> nodes_;  // in the order of their fault tracks
};

// A repeated effect and the first effect it repeats, joined by a flow arrow
// in trace.perfetto.json. It reads the delivery check's verdict on the effect
// and the causal log's effects of the event, so it runs after both.
class PerfettoDuplicates {
 public:
  PerfettoDuplicates(Runtime& runtime, const PartNames& names, const DeliveryCheck& delivery, const CausalLog& causal)
      : runtime_(runtime), names_(names), delivery_(delivery), causal_(causal) {}

  void on(PerfettoWriter& out, const Effect& r) {
    if (!names_.sink_is_dead_letter[r.sink] && !delivery_.last_effect_first()) duplicate(out, r.sink, r.event);
  }
  template <typename Record>
  void on(PerfettoWriter&, const Record&) {}

 private:
  void duplicate(PerfettoWriter& out, SinkIndex sink, const Event& event);

  Runtime& runtime_;
  const PartNames& names_;
  const DeliveryCheck& delivery_;
  const CausalLog& causal_;
};

}  // namespace sluice
