// A producer's durable backlog: events the downstream rejected, kept on the
// producer's own node until they can be replayed (on_reject: spill).
//
// Records live in the node's DurableLog "spill/<source>", one Event each
// (core/model/event_codec.h), fsync'd before append() returns, so a crash
// of the node keeps every event append() returned for. The replay position
// (the oldest record not yet replayed) is a durable cursor in the node's
// KvStore "spill/<source>", advanced (and fsync'd) after each replayed
// record: a restart resumes there.
// A crash between a successful replay and the cursor's fsync replays that
// record again after the restart (at-least-once, like any producer retry).
// Records before the cursor are trimmed once the cursor is durable, so the
// log holds only the backlog.
//
// REQUIRES for every call but forget() (the crash hook): the calling fiber
// runs on the node that owns the storage.
#pragma once

#include <cstdint>
#include <string>

#include "core/model/event.h"
#include "core/runtime/runtime.h"
#include "core/runtime/semaphore.h"
#include "core/runtime/storage.h"

namespace sluice {

class SpillLog {
 public:
  SpillLog(Runtime& runtime, std::string name);

  // Called first by every fiber that uses the log: once after each start of
  // the node it opens the storage and reloads the cursor (every record left
  // is durable then, and was reported spilled). Never blocks.
  void open();
  // The node crashed (its crash hook): writers in progress died with it
  // (their events were never acknowledged; a record whose fsync did not
  // finish is gone), and the next open() recovers.
  void forget() {
    writers_ = 0;
    open_ = false;
  }

  // Appends `event` and makes it durable; one writer at a time, so records
  // become ready in the order they were appended. Blocks for the disk.
  // Returns the record's index.
  std::uint64_t append(const Event& event);
  // Outcome of reading the oldest record not yet replayed.
  enum class Peek { ok, corrupt };
  // REQUIRES: pending() > 0.
  Peek peek(Event& out);
  // The oldest record is done with (replayed, shed or corrupt): moves the
  // durable cursor past it.
  void advance();

  // Records durable and not yet replayed.
  std::uint64_t pending() const { return ready_ - cursor_; }
  // Nothing in the backlog and nothing being written to it.
  bool empty() const { return writers_ == 0 && ready_ == cursor_; }
  std::uint64_t cursor() const { return cursor_; }
  // Waiters here are woken whenever a record becomes ready.
  WaitQueue& record_ready() { return record_ready_; }

 private:
  void store_cursor();

  Runtime& runtime_;
  std::string name_;
  DurableLog* log_ = nullptr;  // the node's storage, the same across restarts
  KvStore* kv_ = nullptr;
  bool open_ = false;          // recovered since the node last started
  Semaphore writer_;
  std::uint64_t cursor_ = 0;   // records [0, cursor_) are done with
  std::uint64_t ready_ = 0;    // records [0, ready_) are durable and reported
  std::uint32_t writers_ = 0;  // appends in progress (volatile)
  WaitQueue record_ready_;
};

}  // namespace sluice
