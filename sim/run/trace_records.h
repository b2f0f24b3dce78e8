// The trace writer's subscriber: each core record becomes its trace.jsonl
// line (README "Trace records"), named by the parts' names. The history hands
// it every record before judging it, so a record's line precedes whatever
// the record ends (a "drained" line follows the effect that drained the run).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/model/records.h"
#include "core/runtime/runtime.h"
#include "sim/watch/part_names.h"
#include "sim/run/pipeline_metrics.h"
#include "sim/run/trace_writer.h"
#include "sim/world/world_records.h"

namespace sluice {

class TraceRecords {
 public:
  TraceRecords(const Runtime& runtime, const PartNames& names, const PipelineMetrics& metrics)
      : runtime_(runtime), names_(names), metrics_(metrics) {}

  // What a record's line reads besides the record: the time, and for a
  // record naming a topic partition, that partition's depth. A consumer that
  // keeps a record to write its line later (the live visualizer's event log
  // formats only the rows it shows) captures its moment when the record is
  // dispatched, and writes the line with on_at.
  struct Moment {
    Nanos t = 0;
    std::size_t partition_depth = 0;
  };
  template <typename R>
  Moment moment_of(const R& record) const {
    Moment m{now(), 0};
    if constexpr (requires { record.partition; }) m.partition_depth = depth_of(record.partition);
    return m;
  }
  template <typename R>
  void on_at(TraceWriter& out, const Moment& moment, const R& record) {
    moment_ = moment;
    on(out, record);
    moment_.reset();
  }

  void on(TraceWriter& out, const Produced& r);
  void on(TraceWriter& out, const Acked& r);
  void on(TraceWriter& out, const SourceFinished& r);
  void on(TraceWriter& out, const Rejected& r);
  void on(TraceWriter& out, const SourceDropped& r);
  void on(TraceWriter& out, const Spilled& r);
  void on(TraceWriter& out, const Replayed& r);
  void on(TraceWriter& out, const SpillCorrupt& r);
  void on(TraceWriter& out, const Enqueued& r);
  void on(TraceWriter& out, const Dequeued& r);
  void on(TraceWriter& out, const Shed& r);
  void on(TraceWriter& out, const LostInCrash& r);
  void on(TraceWriter& out, const ServiceStarted& r);
  void on(TraceWriter& out, const ServiceFinished& r);
  void on(TraceWriter& out, const ServiceAborted& r);
  void on(TraceWriter& out, const CreditRequested& r);
  void on(TraceWriter& out, const DeliveredToWorker& r);
  void on(TraceWriter& out, const WorkerLost& r);
  void on(TraceWriter& out, const LostInTransit& r);
  void on(TraceWriter& out, const AttemptFailed& r);
  void on(TraceWriter& out, const GaveUp& r);
  void on(TraceWriter& out, const BreakerChanged& r);
  void on(TraceWriter& out, const Effect& r);
  void on(TraceWriter& out, const DuplicateSuppressed& r);
  void on(TraceWriter& out, const Fetched& r);
  void on(TraceWriter& out, const Trimmed& r);
  void on(TraceWriter& out, const OffsetCommitted& r);
  void on(TraceWriter& out, const CommitFenced& r);
  void on(TraceWriter& out, const Rebalanced& r);
  void on(TraceWriter& out, const CheckpointCompleted& r);
  void on(TraceWriter& out, const CheckpointAborted& r);
  void on(TraceWriter& out, const StateRestored& r);
  void on(TraceWriter& out, const TxnMarkerWritten& r);
  void on(TraceWriter& out, const ScalingDecided& r);
  void on(TraceWriter& out, const ReplicaChanged& r);
  void on(TraceWriter& out, const CheckpointIntervalChanged& r);
  // The world's records: a fault's begin and heal, an alert's change.
  void on(TraceWriter& out, const FaultBegan& r) { fault(out, "fault", r.fault); }
  void on(TraceWriter& out, const FaultHealed& r) { fault(out, "heal", r.fault); }
  void on(TraceWriter& out, const AlertChanged& r);
  void on(TraceWriter&, const Perturbed&) {}  // the trace hash and coverage have it; no line
  // Bookkeeping with no line of its own: a worker handing an event back
  // (its next record says where it went), the time a barrier took (in the
  // checkpoint line), a snapshot's digest (checked, not traced) and who
  // restores (the restore line follows).
  void on(TraceWriter&, const Released&) {}
  void on(TraceWriter&, const CheckpointWork&) {}
  void on(TraceWriter&, const StateSnapshotted&) {}
  void on(TraceWriter&, const RestoredBy&) {}
  void on(TraceWriter&, const StateRebuilt&) {}  // in summary.json's failover rows instead

 private:
  // A source's own outcome: its event, the source's name and the reason when there is one.
  void source_outcome(TraceWriter& out, std::string_view kind, SourceIndex source, const Event& event,
                      const char* reason);
  void fault(TraceWriter& out, const char* kind, const FaultSpec& fault);
  std::size_t depth_of(QueueIndex queue) const {
    return moment_ ? moment_->partition_depth : static_cast<std::size_t>(metrics_.queues[queue].depth.value());
  }
  Nanos now() const { return moment_ ? moment_->t : runtime_.now(); }

  const Runtime& runtime_;
  const PartNames& names_;
  const PipelineMetrics& metrics_;
  std::optional<Moment> moment_;  // set only inside on_at
};

}  // namespace sluice
