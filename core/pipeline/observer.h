// Everything the pipeline does that a checker, a metric or a trace may need
// to see. The core reports; sim/ records (history, metrics, trace hash).
// Each call happens exactly once per occurrence, at the current virtual time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>
#include <string>

#include "core/pipeline/event.h"

namespace sluice {

inline constexpr Nanos kShedOnArrival = -1;

enum class ShedReason { drop_newest, drop_oldest, priority };
const char* shed_reason_name(ShedReason reason);

class Observer {
 public:
  virtual ~Observer() = default;

  // A source created the event and is about to offer it.
  virtual void produced(SourceIndex source, const Event& event) = 0;
  // The first queue accepted it: from here on it must not be lost.
  virtual void acked(SourceIndex source, const Event& event) = 0;
  // A source has emitted its whole workload and settled every event: each
  // one acked, shed or dropped, and its spill backlog replayed.
  virtual void source_finished(SourceIndex source) = 0;
  // The downstream rejected a produce attempt: "refused" (it is failing) or
  // "timed_out" (no answer: the event may have been applied all the same).
  virtual void rejected(SourceIndex source, const Event& event, const char* reason) = 0;
  // The source gave up on an event it never got acknowledged (its on_reject
  // policy: "refused" / "timed_out" under drop, "retries_exhausted",
  // "retry_budget"). Accounted like a shed, never silent.
  virtual void source_dropped(SourceIndex source, const Event& event, const char* reason) = 0;
  // A rejected event is durable in the source's spill backlog.
  virtual void spilled(SourceIndex source, const Event& event) = 0;
  // A spilled event was offered again and accepted (acked follows).
  virtual void replayed(SourceIndex source, const Event& event) = 0;
  // Record `record` of the source's spill backlog failed its checksum: the
  // event in it cannot be read back (it was never acknowledged).
  virtual void spill_corrupt(SourceIndex source, std::uint64_t record) = 0;

  // Queue depth changes; depth counts events waiting, not those in service.
  virtual void enqueued(QueueIndex queue, const Event& event, std::size_t depth) = 0;
  virtual void dequeued(QueueIndex queue, const Event& event, std::size_t depth, Nanos waited) = 0;
  // A queue's overflow policy dropped the event (counted, never silent).
  // `waited` is how long it had been queued, or kShedOnArrival when it never entered.
  virtual void shed(QueueIndex queue, const Event& event, ShedReason reason, std::size_t depth, Nanos waited) = 0;

  // The queue's node crashed with the event in it: volatile, it is gone
  // (not resolved: if it was acknowledged, no_loss will say so).
  virtual void lost_in_crash(QueueIndex queue, const Event& event, std::size_t depth, Nanos waited) = 0;

  virtual void service_started(StageIndex stage, std::uint32_t worker, const Event& event) = 0;
  virtual void service_finished(StageIndex stage, std::uint32_t worker, const Event& event) = 0;
  // The worker's node crashed while the event was in service (its loss is
  // reported by lost_in_transit; this closes the service span).
  virtual void service_aborted(StageIndex stage, std::uint32_t worker, const Event& event) = 0;

  // Credit-based flow control (Reactive Streams' request(n)): a worker asks
  // for n more events; the stage's router delivers one against one credit.
  virtual void credit_requested(StageIndex stage, std::uint32_t worker, std::int64_t n) = 0;
  virtual void delivered_to_worker(StageIndex stage, std::uint32_t worker, const Event& event) = 0;
  // The worker's node crashed: its outstanding credits and its inbox are gone.
  virtual void worker_lost(StageIndex stage, std::uint32_t worker) = 0;
  // An event in a stage's hands (held by the router, waiting in an inbox, in
  // a worker) vanished in a crash.
  virtual void lost_in_transit(StageIndex stage, const Event& event) = 0;
  // The worker is done with the event: handed downstream, or given up on.
  virtual void released(StageIndex stage, std::uint32_t worker, const Event& event) = 0;

  // A processing attempt failed ("timeout", "error", "poison") or the
  // downstream refused the event ("refused"); the stage may retry.
  virtual void attempt_failed(StageIndex stage, std::uint32_t worker, const Event& event, std::uint32_t attempt,
                              const char* reason) = 0;
  // The stage gave up on the event after `attempts`: it goes to the
  // dead-letter sink when there is one, else it is dropped (counted as shed).
  virtual void gave_up(StageIndex stage, const Event& event, std::uint32_t attempts, bool dead_lettered) = 0;
  virtual void breaker_changed(StageIndex stage, const char* state) = 0;

  // The sink applied the event's effect (on a dead-letter sink: it was parked there).
  virtual void effect(SinkIndex sink, const Event& event) = 0;
  // A deduplicating part recognised the event as one it already has and
  // answered as if it had taken it, without taking it again: an idempotent
  // or deduplicating sink (no effect), or a topic partition dropping an
  // idempotent producer's retried produce (no second record). `where` names
  // the sink or the partition's queue.
  virtual void duplicate_suppressed(const Event& event, const char* where) = 0;

  // --- topics and consumer groups -------------------------------------------
  // A topic partition is a queue (enqueued at append, shed by discard=old,
  // lost_in_crash for an unsynced tail) whose records stay until the group
  // commits past them: then each leaves it (trimmed) having waited `waited`.
  // A consumer taking a copy of a record (`fetched`) puts the event in its
  // stage's hands (until released) without removing it from the partition.
  virtual void fetched(QueueIndex partition, const Event& event) = 0;
  virtual void trimmed(QueueIndex partition, const Event& event, std::size_t depth, Nanos waited) = 0;
  // The group's committed offset of the partition moved to `offset`.
  virtual void offset_committed(QueueIndex partition, std::uint64_t offset, std::uint64_t generation) = 0;
  // A member's commit was refused: it no longer owns the partition in the
  // group's current generation (a zombie, fenced).
  virtual void commit_fenced(StageIndex stage, std::uint32_t worker, std::uint64_t generation) = 0;
  // The consuming stage's group started generation `generation` with `members` members.
  virtual void rebalanced(StageIndex stage, std::uint64_t generation, std::size_t members) = 0;

  // --- checkpoints (exactly_once) -------------------------------------------
  // Checkpoint `id` of the stage completed: `duration` from trigger to
  // completion, `bytes` of snapshots written.
  virtual void checkpoint_completed(StageIndex stage, std::uint64_t id, Nanos duration, std::uint64_t bytes) = 0;
  virtual void checkpoint_aborted(StageIndex stage, std::uint64_t id, const char* reason) = 0;
  // A worker spent `busy` on a barrier (snapshot, pre-commit, ack) instead of records.
  virtual void checkpoint_work(StageIndex stage, std::uint32_t worker, Nanos busy) = 0;
  // In completed checkpoint `id`, the operator state of the partition (a
  // topic queue) before record `offset` had digest `digest`.
  virtual void state_snapshotted(QueueIndex partition, std::uint64_t id, std::uint64_t offset, std::uint64_t digest) = 0;
  // A worker restored the partition's state (digest) from checkpoint `id`
  // and rewinds to `offset`: the state must be the fold of exactly the
  // records before it (checkpoint_consistency).
  virtual void state_restored(QueueIndex partition, std::uint64_t id, std::uint64_t offset, std::uint64_t digest) = 0;
  // Just before state_restored: which worker of which stage restores the partition (for explanations).
  virtual void restored_by(QueueIndex /*partition*/, StageIndex /*stage*/, std::uint32_t /*worker*/) {}
  // Just before state_restored: how the state backend rebuilt it (records replayed, bytes read, the promoted standby's node or "", where retention had cut its changelog and how many latest-of-key records that cut).
  virtual void state_rebuilt(QueueIndex /*partition*/, const char* /*backend*/, std::uint64_t /*records_replayed*/,
                             std::uint64_t /*bytes_read*/, const std::string& /*promoted_standby*/,
                             std::uint64_t /*trimmed_to*/, std::uint64_t /*live_trimmed*/) {}
  // A transaction marker resolved `records` in a partition: committed, or aborted (written false: an abort whose marker the abort_markers_lost defect dropped, its records left visible).
  virtual void txn_marker(QueueIndex partition, std::uint64_t writer, std::uint64_t epoch, std::uint64_t txn, bool commit,
                          bool written, const std::vector<Event>& records, const std::vector<std::uint64_t>& offsets) = 0;

  // --- elastic scaling (core/scaling/) ----------------------------------------
  // The stage's autoscaler changed its replica count from `from` to `to`, and why.
  virtual void scaling_decided(StageIndex /*stage*/, std::uint32_t /*from*/, std::uint32_t /*to*/,
                               const std::string& /*reason*/) {}
  // A replica slot changed state: "starting", "ready", "draining", "left" or "cancelled".
  virtual void replica_changed(StageIndex /*stage*/, std::uint32_t /*worker*/, const char* /*state*/) {}
  // An adaptive checkpoint interval changed to `interval`, and why.
  virtual void checkpoint_interval_changed(StageIndex /*stage*/, Nanos /*interval*/, const std::string& /*reason*/) {}
};

}  // namespace sluice
