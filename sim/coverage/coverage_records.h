// The coverage tracker (coverage_tracker.h) as a subscriber: the records that
// reach a situation, one line each. It reads nothing the other subscribers
// write and nothing reads it during the run, so its place in the order is free.
#pragma once

#include <string_view>

#include "core/model/records.h"
#include "core/runtime/runtime.h"
#include "sim/coverage/coverage_tracker.h"
#include "sim/coverage/precursor_coverage.h"
#include "sim/world/world_records.h"

namespace sluice {

class CoverageRecords {
 public:
  explicit CoverageRecords(Runtime& runtime) : runtime_(runtime) {}

  void on(const Enqueued& rec) { tracker_.depth(rec.queue, rec.depth); }
  void on(const Dequeued& rec) { tracker_.depth(rec.queue, rec.depth); }
  void on(const Shed& rec) { tracker_.depth(rec.queue, rec.depth); }
  void on(const LostInCrash& rec) { tracker_.depth(rec.queue, rec.depth); }
  void on(const Trimmed& rec) { tracker_.depth(rec.partition, rec.depth); }
  void on(const WorkerLost& rec) { tracker_.worker_lost(rec.stage); }
  void on(const AttemptFailed& rec) { tracker_.attempt_failed(rec.stage, runtime_.now()); }
  void on(const GaveUp& rec) { tracker_.gave_up(rec.stage, rec.dead_lettered); }
  void on(const BreakerChanged& rec) { tracker_.breaker(rec.stage, rec.state); }
  void on(const Rebalanced& rec) { tracker_.rebalanced(rec.stage, rec.generation); }
  void on(const CheckpointCompleted& rec) { tracker_.checkpoint_ended(rec.stage, true); }
  void on(const CheckpointAborted& rec) { tracker_.checkpoint_ended(rec.stage, false); }
  void on(const StateSnapshotted& rec) { tracker_.snapshotted(rec.partition); }
  void on(const FaultBegan& rec) {
    tracker_.fault_began(rec.fault, runtime_.now());
    precursors_.fault_began(rec.fault);
  }
  void on(const FaultHealed& rec) { precursors_.fault_healed(rec.fault); }
  void on(const Effect& rec) { precursors_.effect(rec.sink, rec.event.id); }
  void on(const Rejected& rec) {
    if (std::string_view(rec.reason) == "timed_out") precursors_.produce_timed_out(rec.event.id);
  }
  void on(const Acked& rec) { precursors_.produce_settled(rec.event.id); }
  void on(const SourceDropped& rec) { precursors_.produce_settled(rec.event.id); }
  void on(const Perturbed& rec) { tracker_.perturbed(rec.site); }
  template <typename R>
  void on(const R&) {}

  CoverageTracker& tracker() { return tracker_; }
  const CoverageTracker& tracker() const { return tracker_; }
  PrecursorCoverage& precursors() { return precursors_; }

 private:
  Runtime& runtime_;
  CoverageTracker tracker_;
  PrecursorCoverage precursors_{tracker_};
};

}  // namespace sluice
