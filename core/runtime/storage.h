// Per-node durable storage: what Runtime::log and Runtime::kv return.
//
// Storage belongs to a node and survives its restarts; that is the point of
// it. What survives a crash is exactly what was made durable by fsync():
// every write since the last completed fsync is lost, as if the page cache
// vanished. Writes and fsyncs take time (the node's disk latencies, times its
// slowdown), blocking the calling fiber in virtual time.
//
// Every record carries a checksum, checked on each read. The simulated disk
// may corrupt what it stores (a bit flip, a torn write at a crash); such data
// is reported as ReadStatus::corrupt, never returned as if it were good.
//
// REQUIRES for every call: the calling fiber runs on the node that owns the
// storage (the one that obtained it from the Runtime).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

enum class ReadStatus {
  ok,       // bytes holds the data
  missing,  // no such record or key
  corrupt,  // the stored data fails its checksum; bytes is empty
};

struct ReadResult {
  ReadStatus status = ReadStatus::missing;
  std::string bytes;

  bool ok() const { return status == ReadStatus::ok; }
};

// An append-only sequence of records, numbered from 0 (a write-ahead log, a
// topic partition's segment).
class DurableLog {
 public:
  virtual ~DurableLog() = default;

  // Appends a record and returns its index; takes the disk's write latency.
  // The record is readable at once, but lost by a crash until fsync'd.
  virtual std::uint64_t append(std::string bytes) = 0;
  // Takes the disk's fsync latency, then makes every record appended before
  // the call durable. A crash during the fsync makes nothing durable.
  virtual void fsync() = 0;
  virtual ReadResult read(std::uint64_t index) = 0;
  // One past the index of the last record, durable or not.
  virtual std::uint64_t size() const = 0;
  // The index of the oldest record still kept (0 until trim_front).
  virtual std::uint64_t first_index() const = 0;
  // Deletes every record before `first` at once and for good (retention
  // deleting old segments), so a long run's log holds only what it retains;
  // indexes keep their numbers. REQUIRES: first <= durable_size().
  virtual void trim_front(std::uint64_t first) = 0;
  // Records that survive a crash: always a prefix of the log.
  virtual std::uint64_t durable_size() const = 0;
  // Drops every record from `size` on, durably and at once (recovery cuts a
  // corrupt tail this way). REQUIRES: size <= this->size().
  virtual void truncate(std::uint64_t size) = 0;
};

// Small metadata (a committed offset, a term, a checkpoint pointer).
class KvStore {
 public:
  virtual ~KvStore() = default;

  // Takes the disk's write latency. Visible to get() at once, but reverted by
  // a crash until fsync'd.
  virtual void put(std::string key, std::string value) = 0;
  virtual ReadResult get(std::string_view key) = 0;
  // Takes the disk's fsync latency, then makes every put issued before the
  // call durable.
  virtual void fsync() = 0;
};

}  // namespace sluice
