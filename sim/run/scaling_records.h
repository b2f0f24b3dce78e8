// Elastic scaling's record (sim/scaling/scaling_record.h) as a subscriber:
// replica changes, decisions, the events each replica holds, first effects'
// latency for the SLO, and checkpoint interval changes; it explains a lossy
// scale-in from the causal log, so it runs after the causal log.
#pragma once

#include "core/model/records.h"
#include "sim/watch/checker_context.h"
#include "sim/scaling/scaling_record.h"

namespace sluice {

class ScalingRecords {
 public:
  explicit ScalingRecords(const CheckerContext& ctx) : ctx_(ctx) {}

  void on(const DeliveredToWorker& rec) { scaling_.delivered(rec.stage, rec.worker); }
  void on(const WorkerLost& rec) { scaling_.worker_lost(rec.stage, rec.worker); }
  void on(const Released& rec) { scaling_.released(rec.stage, rec.worker); }
  void on(const Effect& rec) {
    if (!ctx_.names.sink_is_dead_letter[rec.sink]) scaling_.effect(ctx_.now(), rec.event.emitted_at, rec.event.id);
  }
  void on(const ScalingDecided& rec) {
    scaling_.decided(ctx_.now(), rec.stage, rec.from, rec.to, rec.reason);
  }
  void on(const ReplicaChanged& rec);
  void on(const CheckpointIntervalChanged& rec) {
    scaling_.checkpoint_interval(ctx_.now(), ctx_.names.stages[rec.stage], rec.interval, rec.reason);
  }
  template <typename R>
  void on(const R&) {}

  ScalingRecord& record() { return scaling_; }
  const ScalingRecord& record() const { return scaling_; }

 private:
  const CheckerContext& ctx_;
  ScalingRecord scaling_;
};

}  // namespace sluice
