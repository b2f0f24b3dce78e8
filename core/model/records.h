// Everything the pipeline does that a checker, a metric or a trace may need
// to see, as data: one small struct per kind of occurrence, and one variant
// (PipelineRecord) the core hands to its Observer. The core reports; sim/
// dispatches each record to its subscribers (history, metrics, checkers,
// trace hash, trace writers). TigerBeetle's testing cluster is the model:
// one tagged union of replica events, one switch.
//
// Each record is emitted exactly once per occurrence, at the current virtual
// time, and lives only for the call: its references point into the
// emitter's state (copy what must outlive it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/model/event.h"

namespace sluice {

inline constexpr Nanos kShedOnArrival = -1;

enum class ShedReason { drop_newest, drop_oldest, priority };
const char* shed_reason_name(ShedReason reason);

// A source created the event and is about to offer it.
struct Produced {
  SourceIndex source;
  const Event& event;
};

// The first queue accepted it: from here on it must not be lost.
struct Acked {
  SourceIndex source;
  const Event& event;
};

// A source has emitted its whole workload and settled every event: each
// one acked, shed or dropped, and its spill backlog replayed.
struct SourceFinished {
  SourceIndex source;
};

// The downstream rejected a produce attempt: "refused" (it is failing) or
// "timed_out" (no answer: the event may have been applied all the same).
struct Rejected {
  SourceIndex source;
  const Event& event;
  const char* reason;
};

// The source gave up on an event it never got acknowledged (its on_reject
// policy: "refused" / "timed_out" under drop, "retries_exhausted",
// "retry_budget"). Accounted like a shed, never silent.
struct SourceDropped {
  SourceIndex source;
  const Event& event;
  const char* reason;
};

// A rejected event is durable in the source's spill backlog.
struct Spilled {
  SourceIndex source;
  const Event& event;
};

// A spilled event was offered again and accepted (acked follows).
struct Replayed {
  SourceIndex source;
  const Event& event;
};

// Record `record` of the source's spill backlog failed its checksum: the
// event in it cannot be read back (it was never acknowledged).
struct SpillCorrupt {
  SourceIndex source;
  std::uint64_t record;
};

// Queue depth changes; depth counts events waiting, not those in service.
struct Enqueued {
  QueueIndex queue;
  const Event& event;
  std::size_t depth;
};
struct Dequeued {
  QueueIndex queue;
  const Event& event;
  std::size_t depth;
  Nanos waited;
};

// A queue's overflow policy dropped the event (counted, never silent).
// `waited` is how long it had been queued, or kShedOnArrival when it never entered.
struct Shed {
  QueueIndex queue;
  const Event& event;
  ShedReason reason;
  std::size_t depth;
  Nanos waited;
};

// The queue's node crashed with the event in it: volatile, it is gone
// (not resolved: if it was acknowledged, no_loss will say so).
struct LostInCrash {
  QueueIndex queue;
  const Event& event;
  std::size_t depth;
  Nanos waited;
};
struct ServiceStarted {
  StageIndex stage;
  std::uint32_t worker;
  const Event& event;
};
struct ServiceFinished {
  StageIndex stage;
  std::uint32_t worker;
  const Event& event;
};

// The worker's node crashed while the event was in service (its loss is
// reported by lost_in_transit; this closes the service span).
struct ServiceAborted {
  StageIndex stage;
  std::uint32_t worker;
  const Event& event;
};

// Credit-based flow control (Reactive Streams' request(n)): a worker asks
// for n more events; the stage's router delivers one against one credit.
struct CreditRequested {
  StageIndex stage;
  std::uint32_t worker;
  std::int64_t n;
};
struct DeliveredToWorker {
  StageIndex stage;
  std::uint32_t worker;
  const Event& event;
};

// The worker's node crashed: its outstanding credits and its inbox are gone.
struct WorkerLost {
  StageIndex stage;
  std::uint32_t worker;
};

// An event in a stage's hands (held by the router, waiting in an inbox, in
// a worker) vanished in a crash.
struct LostInTransit {
  StageIndex stage;
  const Event& event;
};

// The worker is done with the event: handed downstream, or given up on.
struct Released {
  StageIndex stage;
  std::uint32_t worker;
  const Event& event;
};

// A processing attempt failed ("timeout", "error", "poison") or the
// downstream refused the event ("refused"); the stage may retry.
struct AttemptFailed {
  StageIndex stage;
  std::uint32_t worker;
  const Event& event;
  std::uint32_t attempt;
  const char* reason;
};

// The stage gave up on the event after `attempts`: it goes to the
// dead-letter sink when there is one, else it is dropped (counted as shed).
struct GaveUp {
  StageIndex stage;
  const Event& event;
  std::uint32_t attempts;
  bool dead_lettered;
};
struct BreakerChanged {
  StageIndex stage;
  const char* state;
};

// The sink applied the event's effect (on a dead-letter sink: it was parked there).
struct Effect {
  SinkIndex sink;
  const Event& event;
};

// A deduplicating part recognised the event as one it already has and
// answered as if it had taken it, without taking it again: an idempotent
// or deduplicating sink (no effect), or a topic partition dropping an
// idempotent producer's retried produce (no second record). `where` names
// the sink or the partition's queue.
struct DuplicateSuppressed {
  const Event& event;
  const char* where;
};

// --- topics and consumer groups -------------------------------------------
// A topic partition is a queue (enqueued at append, shed by discard=old,
// lost_in_crash for an unsynced tail) whose records stay until the group
// commits past them: then each leaves it (trimmed) having waited `waited`.
// A consumer taking a copy of a record (`fetched`) puts the event in its
// stage's hands (until released) without removing it from the partition.
struct Fetched {
  QueueIndex partition;
  const Event& event;
};
struct Trimmed {
  QueueIndex partition;
  const Event& event;
  std::size_t depth;
  Nanos waited;
};

// The group's committed offset of the partition moved to `offset`.
struct OffsetCommitted {
  QueueIndex partition;
  std::uint64_t offset;
  std::uint64_t generation;
};

// A member's commit was refused: it no longer owns the partition in the
// group's current generation (a zombie, fenced).
struct CommitFenced {
  StageIndex stage;
  std::uint32_t worker;
  std::uint64_t generation;
};

// The consuming stage's group started generation `generation` with `members` members.
struct Rebalanced {
  StageIndex stage;
  std::uint64_t generation;
  std::size_t members;
};

// --- checkpoints (exactly_once) -------------------------------------------
// Checkpoint `id` of the stage completed: `duration` from trigger to
// completion, `bytes` of snapshots written.
struct CheckpointCompleted {
  StageIndex stage;
  std::uint64_t id;
  Nanos duration;
  std::uint64_t bytes;
};
struct CheckpointAborted {
  StageIndex stage;
  std::uint64_t id;
  const char* reason;
};

// A worker spent `busy` on a barrier (snapshot, pre-commit, ack) instead of records.
struct CheckpointWork {
  StageIndex stage;
  std::uint32_t worker;
  Nanos busy;
};

// In completed checkpoint `id`, the operator state of the partition (a
// topic queue) before record `offset` had digest `digest`.
struct StateSnapshotted {
  QueueIndex partition;
  std::uint64_t id;
  std::uint64_t offset;
  std::uint64_t digest;
};

// A worker restored the partition's state (digest) from checkpoint `id`
// and rewinds to `offset`: the state must be the fold of exactly the
// records before it (checkpoint_consistency).
struct StateRestored {
  QueueIndex partition;
  std::uint64_t id;
  std::uint64_t offset;
  std::uint64_t digest;
};

// Just before state_restored: which worker of which stage restores the partition (for explanations).
struct RestoredBy {
  QueueIndex partition;
  StageIndex stage;
  std::uint32_t worker;
};

// Just before StateRestored, for a changelog or standby restore: how the
// state backend rebuilt the partition (records replayed, bytes read, the
// promoted standby's node or "", where retention had cut its changelog and
// how many latest-of-key records that cut).
struct StateRebuilt {
  QueueIndex partition;
  const char* backend;
  std::uint64_t records_replayed;
  std::uint64_t bytes_read;
  const std::string& promoted_standby;
  std::uint64_t trimmed_to;
  std::uint64_t live_trimmed;
};

// A transaction marker resolved `records` in a partition: committed, or aborted (written false: an abort whose marker the abort_markers_lost defect dropped, its records left visible).
struct TxnMarkerWritten {
  QueueIndex partition;
  std::uint64_t writer;
  std::uint64_t epoch;
  std::uint64_t txn;
  bool commit;
  bool written;
  const std::vector<Event>& records;
  const std::vector<std::uint64_t>& offsets;
};

// --- elastic scaling (core/scaling/) ----------------------------------------
// The stage's autoscaler changed its replica count from `from` to `to`, and why.
struct ScalingDecided {
  StageIndex stage;
  std::uint32_t from;
  std::uint32_t to;
  const std::string& reason;
};

// A replica slot changed state: "starting", "ready", "draining", "left" or "cancelled".
struct ReplicaChanged {
  StageIndex stage;
  std::uint32_t worker;
  const char* state;
};

// An adaptive checkpoint interval changed to `interval`, and why.
struct CheckpointIntervalChanged {
  StageIndex stage;
  Nanos interval;
  const std::string& reason;
};

using PipelineRecord = std::variant<
    Produced, Acked, SourceFinished, Rejected,
    SourceDropped, Spilled, Replayed, SpillCorrupt,
    Enqueued, Dequeued, Shed, LostInCrash,
    ServiceStarted, ServiceFinished, ServiceAborted, CreditRequested,
    DeliveredToWorker, WorkerLost, LostInTransit, Released,
    AttemptFailed, GaveUp, BreakerChanged, Effect,
    DuplicateSuppressed, Fetched, Trimmed, OffsetCommitted,
    CommitFenced, Rebalanced, CheckpointCompleted, CheckpointAborted,
    CheckpointWork, StateSnapshotted, StateRestored, RestoredBy,
    TxnMarkerWritten, ScalingDecided, ReplicaChanged, CheckpointIntervalChanged, StateRebuilt>;

}  // namespace sluice
