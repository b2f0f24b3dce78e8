// One worker's side of stateful processing and exactly-once delivery: the
// operator state of each partition it consumes, the effects of its open
// transaction, and the barrier, restore and fence protocol (protocol.h).
//
// Everything here is volatile (the worker's memory): reset() at every start
// of its node. What survives is on the coordinator's and the sink's disks.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/broker/protocol.h"
#include "core/model/checkpoint_config.h"
#include "core/checkpoint/keyed_state.h"
#include "core/checkpoint/protocol.h"
#include "core/checkpoint/standby_replicas.h"
#include "core/model/observer.h"
#include "core/runtime/runtime.h"

namespace sluice {

enum class BarrierOutcome {
  acked,      // snapshots taken, transaction pre-committed, the coordinator has them
  not_acked,  // fenced or unanswered ack: this checkpoint will not complete with it
  in_doubt,   // the pre-commit got no answer: the worker must restore before going on
};

struct WorkerCheckpointConfig {
  StageIndex stage = 0;
  std::uint32_t worker = 0;
  OperatorSpec op;
  bool exactly_once = false;   // checkpoints and a transactional sink
  CheckpointConfig checkpoint;
  NodeId coordinator_node = 0;  // the topic's broker
  Port coordinator_port = 0;
  NodeId sink_node = 0;
  Port sink_port = 0;
  std::vector<std::pair<NodeId, Port>> more_sinks{};  // further participants (fan-out, transactional topics)
  QueueIndex first_queue = 0;  // partition p reports as this + p
  Nanos rpc_timeout = 500 * kNanosPerMilli;
};

class WorkerCheckpoints {
 public:
  WorkerCheckpoints(Runtime& runtime, Observer& observer, WorkerCheckpointConfig config);

  void reset();
  // At every start of the worker's node: its standby replicas' fibers (standby backend).
  void start(NodeId node);
  // Folds a record into its partition's state (every record, in offset order).
  void apply(std::uint32_t partition, const Event& event);
  // exactly_once: the effect waits in the open transaction until pre-commit.
  void buffer_effect(const Event& event) { open_txn_.push_back(event); }
  // Barrier `id`: snapshots every partition in `offsets` (where each resumes
  // after the barrier), pre-commits the open transaction and acks.
  BarrierOutcome on_barrier(CheckpointId id, Generation generation, const std::vector<PartitionOffset>& offsets);
  // The coordinator completed `id`: the snapshots taken for it are kept, so
  // later deltas build on them.
  void on_done(CheckpointId id);
  // Restores `partitions` from the latest completed checkpoint (dropping any
  // other state and the open transaction) and fences this worker's earlier
  // epochs at the sink. Returns where each partition resumes; nullopt when the
  // coordinator or the sink could not be reached (the caller retries).
  std::optional<std::vector<PartitionOffset>> restore(const std::vector<std::uint32_t>& partitions, std::uint64_t epoch);

 private:
  struct PartitionState {
    KeyedState state;
    CheckpointId base = 0;       // the latest completed checkpoint this state's deltas build on
    CheckpointId last_full = 0;  // the latest completed full snapshot
    std::map<CheckpointId, std::pair<std::uint64_t, bool>> taken;  // snapshot -> (change mark, full)
  };
  PartitionState& state_of(std::uint32_t partition);
  PartitionSnapshot snapshot(std::uint32_t partition, CheckpointId id, std::uint64_t offset);
  // Installs what the coordinator answered; nullopt when a changelog rebuild
  // must be asked for again (a promoted replica was gone).
  std::optional<std::vector<PartitionOffset>> install(const RestoreReply& reply, std::uint64_t epoch);

  Runtime& runtime_;
  Observer& observer_;
  WorkerCheckpointConfig config_;
  std::map<std::uint32_t, PartitionState> partitions_;
  std::vector<Event> open_txn_;
  std::uint64_t epoch_ = 0;
  std::unique_ptr<StandbyReplicas> standbys_;  // standby backend only
};

}  // namespace sluice
