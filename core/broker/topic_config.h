// How a topic is laid out and limited, and how its consumer group behaves.
// Limits follow NATS JetStream's stream limits (max_msgs, max_bytes,
// max_msg_size, max_consumers, discard new/old); they apply per partition,
// as Kafka's retention limits do.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "core/model/checkpoint_config.h"
#include "core/model/defects.h"
#include "core/model/event.h"
#include "core/runtime/runtime.h"
#include "core/model/isolation.h"

namespace sluice {

// What a full partition does with one more record.
enum class DiscardPolicy {
  reject_new,  // the produce is refused; the producer decides (retry, drop, spill)
  drop_old,    // the oldest record not yet handed to a consumer is shed to make room
};
const char* discard_policy_name(DiscardPolicy policy);

// When a produce is acknowledged.
enum class AckPolicy {
  append,  // once the record is in the partition's log (lost if the broker crashes before an fsync)
  fsync,   // once an fsync has made it durable (group commit: one fsync acks a batch)
};
const char* ack_policy_name(AckPolicy policy);

// When the broker fsyncs besides what ack=fsync needs.
enum class FsyncPolicy {
  every_write,  // after every batch of appends
  interval,     // every fsync_interval
  never,        // only when an ack needs it (the page cache decides otherwise)
};
const char* fsync_policy_name(FsyncPolicy policy);

// Partition assignment within the consumer group.
enum class AssignmentStrategy { range, round_robin, sticky };
const char* assignment_strategy_name(AssignmentStrategy strategy);

// When a consumer group commits what it consumed (DESIGN.md's `delivery`).
enum class DeliveryMode {
  at_most_once,   // commit on receipt, before processing: a crash loses, never repeats
  at_least_once,  // commit after processing: a crash repeats, never loses
  exactly_once,   // commit with the stage's checkpoint, effects through a transactional sink
};
const char* delivery_mode_name(DeliveryMode mode);

inline constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

struct GroupConfig {
  StageIndex stage = 0;  // the consuming stage: its workers are the members
  DeliveryMode delivery = DeliveryMode::at_least_once;
  AssignmentStrategy strategy = AssignmentStrategy::range;
  Nanos heartbeat_interval = 100 * kNanosPerMilli;
  Nanos session_timeout = 1 * kNanosPerSecond;  // a member silent this long is removed
  Nanos commit_interval = 100 * kNanosPerMilli;  // auto-commit of processed offsets
  Nanos rpc_timeout = 500 * kNanosPerMilli;
  Nanos fetch_max_wait = 100 * kNanosPerMilli;   // a fetch with nothing to return waits this long
  std::uint64_t fetch_max_bytes = 1 << 20;
  // Whether fetches skip open and aborted transactions' records (only a
  // topic exactly-once stages write to has any).
  Isolation isolation = Isolation::read_committed;
};

struct TopicConfig {
  std::string name;
  NodeId node = 0;                  // the broker holding every partition
  QueueIndex first_queue = 0;       // partition p reports as queue first_queue + p
  std::uint32_t partitions = 1;
  std::uint64_t max_msgs = kNoLimit;      // per partition
  std::uint64_t max_bytes = kNoLimit;     // per partition
  std::uint64_t max_msg_size = kNoLimit;  // bytes; a larger record is refused
  std::uint32_t max_consumers = std::numeric_limits<std::uint32_t>::max();  // group members admitted
  DiscardPolicy discard = DiscardPolicy::reject_new;
  AckPolicy ack = AckPolicy::fsync;
  FsyncPolicy fsync = FsyncPolicy::every_write;
  Nanos fsync_interval = 100 * kNanosPerMilli;
  Nanos produce_timeout = 1 * kNanosPerSecond;  // a producer's rpc timeout
  // Appends remembered per producer per partition to recognise an idempotent
  // producer's retries (core/broker/idempotence_window.h).
  std::uint64_t idempotence_window = 1024;
  GroupConfig group;
  std::optional<CheckpointPlan> checkpoint;  // exactly_once: the reading stage's checkpoints
  // Exactly-once stages write here: a transaction coordinator runs with the
  // broker (core/txn/transaction_coordinator.h).
  bool transactional = false;
  Defects defects;  // ack_before_fsync, no_fencing, skip_dedup, commit_before_process
};

}  // namespace sluice
