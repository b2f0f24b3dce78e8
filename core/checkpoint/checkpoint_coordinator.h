// The checkpoint coordinator of one exactly-once stage (Flink's JobManager
// role), on the broker node of the topic the stage reads, next to the group
// coordinator whose generations it trusts:
//
//   every interval   it starts checkpoint n and sends barrier n to every
//                    worker;
//   on each ack      it keeps the partitions' snapshots, if the ack comes
//                    from the partition's consumer in the current generation
//                    (a zombie's ack is fenced);
//   complete         once every partition is acked: the snapshots and the
//                    record (offsets per partition) go to the broker's disk,
//                    every acking writer's transactions up to n are
//                    committed at the sink (retried until done), then the
//                    group's offsets, and the workers are told;
//   abort            on timeout or on a rebalance: nothing of n is used
//                    (its pre-committed transactions wait for a later
//                    checkpoint, or a fence aborts them).
//
// A restoring worker asks for the latest completed checkpoint: offsets and
// full states of its partitions (a delta chain is folded here).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/broker/group_coordinator.h"
#include "core/broker/topic_config.h"
#include "core/checkpoint/adaptive_interval.h"
#include "core/checkpoint/checkpoint_changelogs.h"
#include "core/model/checkpoint_config.h"
#include "core/checkpoint/protocol.h"
#include "core/model/observer.h"
#include "core/runtime/runtime.h"
#include "core/runtime/storage.h"

namespace sluice {

class CheckpointCoordinator {
 public:
  // `commit_offsets` commits the group's offsets (durably, trimming the partitions).
  CheckpointCoordinator(Runtime& runtime, Observer& observer, const TopicConfig& topic, GroupCoordinator& group,
                        CheckpointPlan plan, std::function<void(const std::vector<PartitionOffset>&)> commit_offsets);
  // On the broker node at every start: loads the latest completed
  // checkpoint and starts the trigger fiber.
  void start();
  // Requests from the topic's server.
  void on_ack(const Message& request);
  void on_restore(const Message& request);
  void on_standby_poll(const Message& request);
  // The requester owns all its partitions in the group's current generation.
  bool current_owner(const RestoreRequest& restore) const;
  // The group moved to a new generation: a checkpoint in flight cannot complete.
  void group_changed();

 private:
  struct Completed {
    CheckpointId id = 0;
    std::vector<std::uint64_t> offsets;            // per partition
    std::map<std::uint32_t, std::uint64_t> writers;  // worker -> epoch: whose transactions it commits
  };
  struct InFlight {
    CheckpointId id = 0;
    Generation generation = 0;
    Nanos started = 0;
    std::map<std::uint32_t, PartitionSnapshot> snapshots;  // by partition
    std::map<std::uint32_t, std::uint64_t> writers;        // worker -> epoch
    bool aborted = false;
    const char* abort_reason = "rebalance";
  };
  void run();
  void trigger();
  void hold_barrier_for_rebalance();
  bool accepts(const BarrierAck& ack) const;
  void complete(InFlight& checkpoint);
  // Commits the completed checkpoint's transactions at the sink (retried
  // until done), then the group's offsets. Also after a restart, for the
  // latest one: a crash may have come between completing and committing.
  void commit(const Completed& completed);
  // The latest checkpoint as a restarted coordinator commits it again (the checkpoint_commit_not_redriven defect trims it).
  Completed redriven(Completed completed);
  std::string slot_key(std::uint32_t partition, CheckpointId id) const;
  // The full state of `partition` at checkpoint `id`, folding its delta chain.
  std::string state_at(std::uint32_t partition, CheckpointId id);
  void persist_completed();
  // The adaptive interval learns from each completion (no-op without one).
  void adapt_interval(const InFlight& checkpoint, const Completed& completed);
  Nanos interval() const { return adaptive_ ? adaptive_->interval() : plan_.config.interval; }
  std::optional<Completed> load_completed(const std::string& key);

  Runtime& runtime_;
  Observer& observer_;
  const TopicConfig& topic_;
  GroupCoordinator& group_;
  CheckpointPlan plan_;
  std::function<void(const std::vector<PartitionOffset>&)> commit_offsets_;
  KvStore* kv_ = nullptr;
  // changelog and standby backends: the changelogs replace snapshot slots.
  std::unique_ptr<CheckpointChangelogs> changelogs_;
  // Volatile (rebuilt at start from the disk).
  Completed latest_;
  Completed previous_;  // for the restore_stale_offsets defect
  CheckpointId next_id_ = 1;
  std::optional<InFlight> in_flight_;
  bool committing_ = false;
  WaitQueue progress_;
  // Volatile too: an adaptive interval starts over after a broker restart.
  std::optional<AdaptiveInterval> adaptive_;
  Nanos last_completed_at_ = -1;
};

}  // namespace sluice
