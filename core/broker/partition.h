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
//
// Transactions (core/txn/): a transaction coordinator on the same broker
// appends a transaction's records as open (uncommitted) and later resolves
// them with a commit or abort marker, written to the partition's marker log
// (beside the record log, so record offsets stay dense). A read_committed
// fetch never returns an aborted record and stops at the last stable offset
// (the first record of a transaction still open); read_uncommitted returns
// every record up to the visible end. Record states are broker memory, like
// the retained records themselves; the coordinator logs every decision
// durably before writing its markers, so a crash between them is rolled
// forward, never reverted.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/broker/idempotence_window.h"
#include "core/broker/protocol.h"
#include "core/broker/topic_config.h"
#include "core/model/observer.h"
#include "core/runtime/runtime.h"
#include "core/runtime/storage.h"
#include "core/model/isolation.h"
#include "core/model/txn_key.h"

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
  ProduceReply append(const Event& event, bool idempotent = false, TxnKey txn = {});
  // Resolves the open records of the marker's transaction (committed or
  // aborted) and writes the marker to the marker log (the disk's write
  // latency). Writing the same marker again (a roll-forward after a crash)
  // resolves nothing new. `written` false is the abort_markers_lost defect
  // for an abort: no marker is written and its records count as committed.
  void write_marker(const TxnMarker& marker, bool written = true);
  // Makes the markers written so far durable.
  void fsync_markers();
  // Records from `position` on, at most `max_records` and (after the first)
  // `max_bytes`, up to the visible end. Fills `reset` when `position` is
  // outside what the partition holds.
  void fetch(std::uint64_t position, std::uint32_t max_records, std::uint64_t& budget_bytes,
             std::vector<FetchedRecord>& out, std::vector<PartitionOffset>& resets,
             Isolation isolation = Isolation::read_uncommitted);
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
  // The first offset of the oldest open transaction's records, else the visible end.
  std::uint64_t last_stable_offset() const;
  std::size_t depth() const { return records_.size(); }
  QueueIndex queue() const { return queue_; }
  // Records of the log's tail that failed their checksum while the window
  // was rebuilt (skipped: a retry of one of them is appended again).
  std::uint64_t window_corrupt_records() const { return window_corrupt_records_; }

 private:
  enum class State : std::uint8_t { committed, open, aborted };
  struct Retained {
    std::uint64_t offset;
    Event event;
    Nanos appended_at;
    TxnKey txn{};
    State state = State::committed;
  };
  // The open transactions' first offsets, from the retained records.
  void rebuild_open();
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
  DurableLog* markers_ = nullptr;
  std::map<TxnKey, std::uint64_t> open_;  // open transaction -> its first offset here
  std::uint64_t window_corrupt_records_ = 0;
};

}  // namespace sluice
