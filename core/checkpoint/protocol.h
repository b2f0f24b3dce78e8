// The messages of checkpointing (aligned barriers, Flink-style asynchronous
// barrier snapshots) and of the transactional sink.
//
//   coordinator (broker node)           worker                     sink
//   Barrier n ---------------------->   into the inbox, behind
//                                       the records fetched so far
//                                       ... processes them, buffering
//                                       their effects (txn n) ...
//                                       snapshot its partitions,
//                                       TxnPreCommit n (effects) -> persists txn n
//   <---------------------- BarrierAck n (offsets, snapshots)
//   all partitions acked: persist the checkpoint,
//   TxnCommit <= n --------------------------------------------> applies the effects
//   commit the group's offsets, CheckpointDone n -> workers
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/broker/protocol.h"
#include "core/checkpoint/changelog.h"
#include "core/model/event.h"
#include "core/model/txn_key.h"
#include "core/runtime/transport.h"

namespace sluice {

using CheckpointId = std::uint64_t;  // 0: none (the empty state at offset 0)

// A worker's barrier port: one per stage and worker (a node may host several).
inline constexpr Port kBarrierPortBase = 0x6000;
inline constexpr std::uint32_t kMaxWorkersPerStage = 1024;
constexpr Port barrier_port(StageIndex stage, std::uint32_t worker) {
  return kBarrierPortBase + stage * kMaxWorkersPerStage + worker;
}
// A transactional sink's server: the base plus the sink's index.
inline constexpr Port kTxnSinkPortBase = 0x5600;

struct Barrier {
  CheckpointId id = 0;
};
// The checkpoint completed: snapshots up to it are kept (the next delta may build on them).
struct CheckpointDone {
  CheckpointId id = 0;
};

struct PartitionSnapshot {
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;  // the next record to process after the barrier
  CheckpointId base = 0;     // a delta builds on this checkpoint's state; == its own id: full
  std::string bytes;         // KeyedState::encode_full / encode_delta
  std::uint64_t digest = 0;  // of the whole state at the barrier
};
struct BarrierAck {
  CheckpointId id = 0;
  std::uint32_t worker = 0;
  Generation generation = 0;  // the member's generation: a stale one is fenced
  std::uint64_t epoch = 0;    // the worker's transactional epoch
  std::vector<PartitionSnapshot> partitions;
};

// A worker's transactional epoch orders its incarnations at the sink:
// generations first, then the restores within one.
constexpr std::uint64_t restore_epoch(Generation generation, std::uint64_t attempt) { return generation << 16 | attempt; }
constexpr Generation generation_of_epoch(std::uint64_t epoch) { return epoch >> 16; }

struct RestoreRequest {
  std::uint32_t worker = 0;
  std::uint64_t epoch = 0;  // restore_epoch(the member's generation, attempt)
  std::vector<std::uint32_t> partitions;
  // standby backend: the requester's own warm replicas (partition, position).
  std::vector<std::pair<std::uint32_t, std::uint64_t>> replicas{};
};
// How a changelog or standby restore rebuilds a partition (standby_protocol.h).
struct ChangelogRestore {
  std::vector<ChangelogRecord> records;  // the live records from `from` on
  std::uint64_t from = 0;                // 0: replay from the start
  bool local_replica = false;            // promote the requester's own replica (at `from` or later)
  std::optional<std::uint32_t> standby;  // else promote this worker's replica (its node below)
  NodeId standby_node = 0;
  std::uint64_t trimmed_to = 0;    // where retention cut the changelog
  std::uint64_t live_trimmed = 0;  // records it cut that were still their key's latest
};
struct RestoredPartition {
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
  std::string state;  // a full snapshot (snapshot backend)
  std::optional<ChangelogRestore> changelog{};  // changelog and standby backends
};
struct RestoreReply {
  // The coordinator is committing a completed checkpoint's transactions:
  // ask again shortly (a restore now would fence what is being committed).
  bool busy = false;
  // The requester is not the current generation's owner of these partitions
  // (a zombie, or a member that has not adopted the new assignment yet):
  // nothing to restore for it.
  bool stale = false;
  CheckpointId checkpoint = 0;  // the latest completed (0: none yet)
  std::vector<RestoredPartition> partitions;
};

// --- the transactional sink ----------------------------------------------
// A writer (TxnWriter, core/model/txn_key.h) is one worker of one stage; its
// transaction n holds the effects it produced after its previous barrier and
// before barrier n. The worker buffers them and hands them over whole at
// pre-commit, so a sink or worker crash can never leave a transaction half-written.
struct TxnPreCommit {
  TxnWriter writer;
  std::uint64_t epoch = 0;
  CheckpointId txn = 0;
  std::vector<Event> effects;
};
// Applies every pre-committed transaction of the writer up to `up_to`.
struct TxnCommit {
  TxnWriter writer;
  std::uint64_t epoch = 0;
  CheckpointId up_to = 0;
};
// A new epoch of the writer (after it restored a checkpoint): every
// transaction of an older epoch not yet committed is aborted, and requests of
// older epochs are refused from now on (a zombie cannot pre-commit).
struct TxnFence {
  TxnWriter writer;
  std::uint64_t epoch = 0;
};
enum class TxnStatus : std::uint8_t { ok, fenced, refused };  // refused: a topic partition was full

}  // namespace sluice
