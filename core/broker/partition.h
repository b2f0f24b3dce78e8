// One partition of a topic: an append-only log on the broker's simulated
// disk, with the records it still retains held in memory for fetches (the
// page cache). A record is retained from its append until the consumer group
// commits past it; the partition's limits (max_msgs, max_bytes) bound what it
// retains, and its depth as a queue is that count.
//
// Offsets number records from 0 and are never reused while the broker runs;
// a crash that loses the unsynced tail makes the next append reuse the lost
// offsets, and consumers positioned past the end are reset to it.
//
// An idempotent producer's retry of a record the partition still remembers
// (its IdempotenceWindow) is not appended again. The window is broker
// memory: every start rebuilds it from the last `idempotence_window` records
// of the durable log (retention keeps them on disk, committed or not), so it
// survives a restart. With several producers on a partition, each keeps
// after a restart only its appends among those last records.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "core/broker/idempotence_window.h"
#include "core/broker/protocol.h"
#include "core/broker/topic_config.h"
#include "core/pipeline/observer.h"
#include "core/runtime/runtime.h"
#include "core/runtime/storage.h"

namespace sluice {

class Partition {
 public:
  Partition(Runtime& runtime, Observer& observer, const TopicConfig& config, std::uint32_t number);

  // On the broker's node, at every start: opens the log and drops what a
  // crash took (the unsynced tail, a torn last record) from memory, each
  // reported lost, and rebuilds the idempotence window from the log's tail.
  void recover();

  // Appends one record (the disk's write latency), or says why not. An
  // idempotent produce of a record in the window is answered "appended" with
  // the original offset, reported as a suppressed duplicate, and not appended.
  ProduceReply append(const Event& event, bool idempotent = false);
  // Records from `position` on, at most `max_records` and (after the first)
  // `max_bytes`, up to the visible end. Fills `reset` when `position` is
  // outside what the partition holds.
  void fetch(std::uint64_t position, std::uint32_t max_records, std::uint64_t& budget_bytes,
             std::vector<FetchedRecord>& out, std::vector<PartitionOffset>& resets);
  // The group committed up to `offset`: retained records before it leave.
  void trim(std::uint64_t offset);
  // Makes every append so far durable (the disk's fsync latency).
  void fsync();

  bool dirty() const { return log_ != nullptr && log_->durable_size() < log_->size(); }
  std::uint64_t end() const { return next_offset_; }
  std::uint64_t durable_end() const { return log_ ? log_->durable_size() : 0; }
  // Consumers see records once appended, or under ack=fsync once durable
  // (no consumer acts on a record a crash could still take back).
  std::uint64_t visible_end() const { return config_.ack == AckPolicy::fsync ? durable_end() : end(); }
  std::size_t depth() const { return records_.size(); }
  QueueIndex queue() const { return queue_; }
  // Records of the log's tail that failed their checksum while the window
  // was rebuilt (skipped: a retry of one of them is appended again).
  std::uint64_t window_corrupt_records() const { return window_corrupt_records_; }

 private:
  struct Retained {
    std::uint64_t offset;
    Event event;
    Nanos appended_at;
  };
  bool fits(const Event& event) const;
  // Sheds (never handed out) or drops (a consumer holds a copy) the oldest record.
  void discard_oldest();
  void rebuild_window();

  Runtime& runtime_;
  Observer& observer_;
  const TopicConfig& config_;
  std::uint32_t number_;
  QueueIndex queue_;
  std::string log_name_;
  std::string name_;  // as the observer names its queue
  DurableLog* log_ = nullptr;
  std::deque<Retained> records_;  // ascending offsets
  std::uint64_t next_offset_ = 0;
  std::uint64_t retained_bytes_ = 0;
  std::uint64_t handed_out_end_ = 0;  // one past the highest offset ever fetched
  IdempotenceWindow window_;
  std::uint64_t window_corrupt_records_ = 0;
};

}  // namespace sluice
