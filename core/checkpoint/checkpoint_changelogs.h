// The changelogs of one checkpointed stage's partitions, on the checkpoint
// coordinator's node (changelog and standby state backends). A completed
// checkpoint's state changes are appended and fsync'd before the checkpoint
// record is, so they commit with it: the records of a checkpoint that never
// completed are never read (a restart truncates them off the disk log).
//
// Compaction keeps each key's latest record, and keeps a tombstone until
// every live standby has read past it; restores and standbys read only
// committed records. The standbys' positions come from their polls, which
// also say which partitions each worker should stand by for (the next
// workers after the partition's owner, on other nodes).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/broker/group_coordinator.h"
#include "core/broker/topic_config.h"
#include "core/checkpoint/changelog.h"
#include "core/model/checkpoint_config.h"
#include "core/checkpoint/protocol.h"
#include "core/checkpoint/standby_protocol.h"
#include "core/runtime/runtime.h"
#include "core/runtime/storage.h"

namespace sluice {

class CheckpointChangelogs {
 public:
  CheckpointChangelogs(Runtime& runtime, const TopicConfig& topic, const GroupCoordinator& group, const CheckpointPlan& plan);
  // At every start of the coordinator's node: rebuilds the changelogs from
  // the disk log, dropping records of checkpoints after `committed`.
  void start(CheckpointId committed);
  // Appends completed checkpoint `id`'s snapshots and makes them durable.
  void append(CheckpointId id, const std::map<std::uint32_t, PartitionSnapshot>& snapshots);
  // The checkpoint record of `id` is durable: its records may be read.
  void committed(CheckpointId id) { committed_ = id; }
  // How a restoring worker rebuilds `partition`.
  ChangelogRestore restore(std::uint32_t partition, const RestoreRequest& request) const;
  // A standby's poll: its partitions and their committed records.
  StandbyUpdate on_poll(const StandbyPoll& poll);

 private:
  struct Seen {
    std::uint64_t position = 0;
    Nanos at = 0;
  };
  std::vector<std::uint32_t> standbys_of(std::uint32_t partition) const;
  std::vector<ChangelogRecord> committed_from(std::uint32_t partition, std::uint64_t from) const;
  bool live(const Seen& seen) const;
  void compact(std::uint32_t partition);

  Runtime& runtime_;
  const TopicConfig& topic_;
  const GroupCoordinator& group_;
  const CheckpointPlan& plan_;
  DurableLog* disk_ = nullptr;
  std::vector<Changelog> logs_;  // by partition
  CheckpointId committed_ = 0;
  // Volatile: rebuilt by the standbys' next polls after a restart.
  std::map<std::uint32_t, std::map<std::uint32_t, Seen>> seen_;  // partition -> worker -> last poll
  std::vector<std::uint64_t> previous_end_;  // the changelog_trimmed_early defect's cut
};

}  // namespace sluice
