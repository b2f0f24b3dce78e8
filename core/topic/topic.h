// A topic on its broker node: partitions on the node's disk, the consumer
// group's coordinator, and the broker's fibers, started with the node and
// again after each restart:
//
//   server      takes every request from the topic's port in arrival order
//               (produce, fetch, join, heartbeat, commit); appends are
//               sequential, as on a partition leader;
//   flusher     fsyncs dirty partitions (group commit) and then sends the
//               produce acks that waited for durability (ack=fsync);
//   housekeeper answers fetches that waited in vain (long polling) and
//               removes members whose session timed out.
//
// Producers (TopicProducer) and consumers (GroupMember) reach it through
// rpc.h over the simulated network, also from the broker's own node.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/broker/group_coordinator.h"
#include "core/broker/partition.h"
#include "core/broker/protocol.h"
#include "core/broker/topic_config.h"
#include "core/checkpoint/checkpoint_coordinator.h"
#include "core/model/observer.h"
#include "core/runtime/runtime.h"
#include "core/runtime/transport.h"
#include "core/txn/transaction_coordinator.h"

namespace sluice {

class Topic {
 public:
  Topic(Runtime& runtime, Observer& observer, TopicConfig config, std::uint32_t index);
  Topic(const Topic&) = delete;
  Topic& operator=(const Topic&) = delete;
  // Registers the broker's fibers with the node's start-up.
  void install();

  const TopicConfig& config() const { return config_; }
  Port port() const { return port_; }
  // The transaction coordinator's port; REQUIRES: config().transactional.
  Port transaction_port() const;
  std::uint32_t partition_of(std::uint64_t key) const;
  QueueIndex queue_of(std::uint32_t partition) const { return config_.first_queue + partition; }
  // For autoscalers (core/scaling/), as a lag exporter reads them: records
  // appended so far, and appended but not committed by the group (its lag),
  // summed over partitions.
  std::uint64_t appended() const;
  std::uint64_t lag() const;

 private:
  struct ParkedFetch {
    Message request;
    Nanos deadline;
  };
  struct AwaitingFsync {
    Message request;
    std::uint32_t partition;
    std::uint64_t offset;
  };
  void start();
  void serve();
  void flush_loop();
  void housekeep();
  void handle(Message& request);
  void produce(Message& request);
  void fetch(Message& request, bool parked);
  void join(Message& request);
  void heartbeat(Message& request);
  void commit(Message& request);
  void leave(Message& request);
  // Tries the fetch now; false when it found nothing (the caller may park it).
  bool try_fetch(const Message& request, bool answer_empty);
  void wake_parked();
  void persist_commits(const std::vector<PartitionOffset>& offsets);
  // Durable, reported, and the records before them trimmed.
  void apply_commits(const std::vector<PartitionOffset>& offsets, Generation generation);
  // After any change of generation: persists it and tells who needs to know.
  void generation_changed();
  void persist_generation();
  bool any_dirty() const;
  void flush();

  Runtime& runtime_;
  Observer& observer_;
  TopicConfig config_;
  Port port_;
  std::vector<std::unique_ptr<Partition>> partitions_;
  GroupCoordinator group_;
  std::unique_ptr<CheckpointCoordinator> checkpoints_;  // exactly_once only
  std::unique_ptr<TransactionCoordinator> transactions_;  // exactly-once stages write here
  // Volatile broker memory, cleared when the node crashes.
  std::deque<AwaitingFsync> awaiting_fsync_;  // produce requests acked once their record is durable
  std::deque<ParkedFetch> parked_;
  WaitQueue flush_needed_;
  WaitQueue housekeeping_;
  Nanos next_interval_fsync_ = 0;
  std::size_t fetch_rotation_ = 0;
};

}  // namespace sluice
