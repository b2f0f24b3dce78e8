#include "sim/watch/causal_records.h"

#include <cstring>

#include "sim/catalog/fault_kind_catalog.h"
#include "sim/check/explain/explainers.h"

namespace sluice {

void CausalRecords::on(const Shed& rec) {
  log_.note("shed", now(), rec.event, {Role::queue, rec.queue}, rec.depth, shed_reason_name(rec.reason));
  if (delivery_.checker().settled(rec.event)) log_.resolved(rec.event);  // a fan-out's other branches still follow it
}

void CausalRecords::on(const WorkerLost& rec) {
  log_.credits_reset(rec.stage, rec.worker, now());
  log_.mark({.kind = "worker_lost", .t = now(), .part = rec.stage, .worker = rec.worker});
}

void CausalRecords::on(const GaveUp& rec) {
  log_.note(rec.dead_lettered ? "dead_letter" : "gave_up", now(), rec.event, {Role::stage, rec.stage}, rec.attempts);
  if (!rec.dead_lettered) log_.resolved(rec.event);
}

void CausalRecords::on(const CommitFenced& rec) {
  log_.mark({.kind = "commit_fenced", .t = now(), .part = rec.stage, .id = rec.generation, .worker = rec.worker});
}

void CausalRecords::on(const Rebalanced& rec) {
  log_.mark({.kind = "rebalance", .t = now(), .part = rec.stage, .id = rec.generation, .offset = rec.members});
}

void CausalRecords::on(const CheckpointCompleted& rec) {
  log_.mark({.kind = "checkpoint", .t = now(), .part = rec.stage, .id = rec.id});
}

void CausalRecords::on(const CheckpointAborted& rec) {
  log_.mark({.kind = "checkpoint_aborted", .t = now(), .part = rec.stage, .id = rec.id, .reason = rec.reason});
}

void CausalRecords::on(const StateSnapshotted& rec) {
  log_.mark({.kind = "snapshot", .t = now(), .part = rec.partition, .id = rec.id, .offset = rec.offset});
}

void CausalRecords::on(const StateRestored& rec) {
  log_.mark({.kind = "restore", .t = now(), .part = rec.partition, .id = rec.id, .offset = rec.offset});
}

// Only for explanations: the restore mark that follows is this worker's.
void CausalRecords::on(const RestoredBy& rec) {
  log_.mark({.kind = "restorer", .t = now(), .part = rec.partition, .id = rec.stage, .worker = rec.worker});
}

// Where retention had cut the changelog, for a restore's explanation.
void CausalRecords::on(const StateRebuilt& rec) {
  log_.mark({.kind = "rebuilt", .t = now(), .part = rec.partition, .id = rec.live_trimmed, .offset = rec.trimmed_to});
}

// Notes that name the transaction of each record in explanations.
void CausalRecords::on(const TxnMarkerWritten& rec) {
  const char* kind = rec.commit ? "txn_commit" : rec.written ? "txn_abort" : "txn_abort_unmarked";
  const Place place{Role::queue, rec.partition, static_cast<std::uint32_t>(rec.writer & 0xffffffffULL)};
  for (const Event& event : rec.records) log_.note(kind, now(), event, place, txn_detail(rec.epoch, rec.txn));
}

void CausalRecords::on(const ScalingDecided& rec) {
  log_.mark({.kind = "scaled", .t = now(), .part = rec.stage, .id = rec.to, .offset = rec.from, .reason = rec.reason});
}

void CausalRecords::on(const ReplicaChanged& rec) {
  if (std::strcmp(rec.state, "left") == 0 || std::strcmp(rec.state, "draining") == 0) {
    log_.mark({.kind = "replica", .t = now(), .part = rec.stage, .worker = rec.worker, .reason = rec.state});
  }
}

void CausalRecords::on(const FaultBegan& rec) { log_.fault_began(fault_window(rec.fault, now(), rec.fault.lasts())); }

void CausalRecords::on(const FaultHealed& rec) {
  log_.fault_healed(fault_kind_name(rec.fault.kind), rec.fault.describe_targets(), rec.fault.at, now());
}

void CausalRecords::on(const Perturbed& rec) {
  log_.mark({.kind = "perturbed", .t = now(), .id = static_cast<std::uint64_t>(rec.site), .reason = rec.node});
}

}  // namespace sluice
