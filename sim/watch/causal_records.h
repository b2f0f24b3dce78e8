// The causal log as a subscriber: notes what happens to each event and the
// rare facts that explain it (faults, rebalances, checkpoints, restores,
// commits, scaling), for the explainers (causal_log.h). An event leaves the
// log's "last seen" table once it has settled, which the delivery check says.
//
// Order: after the delivery check (settled) and the progress watch (whose
// violations name an event's place before this record), before the checkers
// that explain (their explanations include this record).
#pragma once

#include "core/model/records.h"
#include "core/runtime/runtime.h"
#include "sim/watch/delivery_check.h"
#include "sim/check/explain/causal_log.h"
#include "sim/watch/part_names.h"
#include "sim/world/world_records.h"

namespace sluice {

class CausalRecords {
 public:
  CausalRecords(Runtime& runtime, const PartNames& names, const DeliveryCheck& delivery, CausalLog& log)
      : runtime_(runtime), names_(names), delivery_(delivery), log_(log) {}

  void on(const Produced& rec) { log_.produced(now(), rec.event, {Role::source, rec.source}); }
  void on(const Rejected& rec) { at_source("reject", rec.source, rec.event, rec.reason); }
  void on(const SourceDropped& rec) {
    at_source("source_drop", rec.source, rec.event, rec.reason);
    log_.resolved(rec.event);
  }
  void on(const Spilled& rec) { at_source("spill", rec.source, rec.event, nullptr); }
  void on(const Replayed& rec) { at_source("replay", rec.source, rec.event, nullptr); }
  void on(const Enqueued& rec) { log_.note("enqueue", now(), rec.event, {Role::queue, rec.queue}, rec.depth); }
  void on(const Shed& rec);
  void on(const LostInCrash& rec) { log_.note("crash_drop", now(), rec.event, {Role::queue, rec.queue}, rec.depth); }
  void on(const ServiceStarted& rec) { at_worker("deliver", rec.stage, rec.worker, rec.event); }
  void on(const ServiceFinished& rec) { at_worker("processed", rec.stage, rec.worker, rec.event); }
  void on(const ServiceAborted& rec) { at_worker("aborted", rec.stage, rec.worker, rec.event); }
  void on(const CreditRequested& rec) { log_.credit_requested(rec.stage, rec.worker, rec.n, now()); }
  void on(const DeliveredToWorker& rec) {
    log_.credit_used(rec.stage, rec.worker);
    at_worker("route", rec.stage, rec.worker, rec.event);
  }
  void on(const WorkerLost& rec);
  void on(const LostInTransit& rec) { log_.note("transit_loss", now(), rec.event, {Role::stage, rec.stage}); }
  void on(const AttemptFailed& rec) {
    log_.note("attempt_failed", now(), rec.event, {Role::worker, rec.stage, rec.worker}, rec.attempt, rec.reason);
  }
  void on(const GaveUp& rec);
  void on(const Effect& rec) {
    // A dead letter is parked, not an effect: no note, but it may settle the event.
    if (!names_.sink_is_dead_letter[rec.sink]) log_.note("effect", now(), rec.event, {Role::sink, rec.sink});
    // On a fan-out the log follows the event until every branch has settled,
    // so a loss on another branch still knows where it was last seen.
    if (delivery_.checker().settled(rec.event)) log_.resolved(rec.event);
  }
  void on(const Fetched& rec) { log_.note("fetch", now(), rec.event, {Role::queue, rec.partition}); }
  void on(const Trimmed& rec) { log_.note("trim", now(), rec.event, {Role::queue, rec.partition}, rec.depth); }
  void on(const OffsetCommitted& rec) { log_.committed(rec.partition, {now(), rec.offset, rec.generation}); }
  void on(const CommitFenced& rec);
  void on(const Rebalanced& rec);
  void on(const CheckpointCompleted& rec);
  void on(const CheckpointAborted& rec);
  void on(const StateSnapshotted& rec);
  void on(const StateRestored& rec);
  void on(const RestoredBy& rec);
  void on(const StateRebuilt& rec);
  void on(const TxnMarkerWritten& rec);
  void on(const ScalingDecided& rec);
  void on(const ReplicaChanged& rec);
  void on(const FaultBegan& rec);
  void on(const FaultHealed& rec);
  void on(const Perturbed& rec);
  template <typename R>
  void on(const R&) {}

 private:
  Nanos now() const { return runtime_.now(); }
  void at_source(const char* kind, SourceIndex source, const Event& event, const char* reason) {
    log_.note(kind, now(), event, {Role::source, source}, 0, reason == nullptr ? "" : reason);
  }
  void at_worker(const char* kind, StageIndex stage, std::uint32_t worker, const Event& event) {
    log_.note(kind, now(), event, {Role::worker, stage, worker});
  }

  Runtime& runtime_;
  const PartNames& names_;
  const DeliveryCheck& delivery_;
  CausalLog& log_;
};

}  // namespace sluice
