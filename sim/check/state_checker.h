// checkpoint_consistency: after every recovery, operator state equals the
// fold of exactly the records before the restored checkpoint's offsets.
//
// The checker folds each checkpointed partition itself, from the history's
// appends (in offset order, minus records a crash took back or discard=old
// shed), with the operator's definition (KeyedState). It checks the digest
// of every completed checkpoint's snapshot against its own fold at the
// snapshot's offset, and every restore against its fold at the offset the
// worker rewinds to. Memory: the records since the oldest fold point it
// keeps (a few checkpoints back) and the keys' state, not the run length.
//
// Recovery must also use the latest completed checkpoint: a restore from an
// older one than the latest the partition completed before it is a
// violation (the coordinator persists a checkpoint before announcing it, so
// no crash or restart excuses an older one).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint/keyed_state.h"
#include "core/model/event.h"
#include "sim/check/verdict.h"

namespace sluice {

// What a state that failed its check folded, when the checker can tell: the
// fold of the kept records that has its digest, and the records between
// that fold and the one it should have been.
struct StateDiff {
  bool found = false;
  std::uint64_t fold_offset = 0;  // the state equals the fold of the records before this offset
  bool with_skipped = false;      // ... counting records read_committed skips (aborted transactions')
  struct Differing {
    std::uint64_t offset;
    EventId event;
  };
  std::vector<Differing> records;  // in the state and not due, or due and not in it (offset order)
};

class StateChecker {
 public:
  // `operators` per queue: OperatorKind::none for queues that are not
  // checkpointed topic partitions.
  StateChecker(std::vector<OperatorSpec> operators, std::vector<std::string> queue_names);

  void appended(QueueIndex queue, const Event& event);
  void lost_tail(QueueIndex queue);                    // the newest record vanished in a crash
  void shed(QueueIndex queue, const Event& event);     // discard=old removed it unread
  void skipped(QueueIndex queue, std::uint64_t offset);  // an aborted transaction's record: read_committed skips it
  void snapshotted(QueueIndex queue, std::uint64_t checkpoint, std::uint64_t offset, std::uint64_t digest, Nanos now);
  void restored(QueueIndex queue, std::uint64_t checkpoint, std::uint64_t offset, std::uint64_t digest, Nanos now);

  bool applicable() const { return any_restore_ || any_snapshot_; }
  // After a mismatch at `offset`: the kept fold with `digest`, if any
  // (a scan of the records kept, so only for explanations).
  StateDiff diff(QueueIndex queue, std::uint64_t offset, std::uint64_t digest) const;
  Verdict verdict() const;

 private:
  struct Record {
    std::uint64_t offset;
    Event event;
    bool skipped;
  };
  struct Partition {
    OperatorSpec op;
    std::uint64_t next_offset = 0;
    std::deque<Record> records;                  // from the oldest kept fold point on
    std::map<std::uint64_t, KeyedState> folds;   // offset -> the fold of every record before it
    std::uint64_t latest_checkpoint = 0;         // the latest completed checkpoint with a snapshot of it
    Nanos latest_completed_at = 0;
  };
  // The fold before `offset`, from the nearest kept fold point at or below it.
  std::optional<KeyedState> fold_at(Partition& p, std::uint64_t offset) const;
  void keep(Partition& p, std::uint64_t offset, KeyedState state);
  // Checks `digest` against the fold before `offset` and reports a mismatch
  // (`what` names the snapshot or restore); returns the fold, if there is one.
  std::optional<KeyedState> judge(QueueIndex queue, std::uint64_t offset, std::uint64_t digest, const std::string& what,
                                  Nanos now);
  bool checked(QueueIndex queue) const { return queue < partitions_.size() && partitions_[queue].op.kind != OperatorKind::none; }

  std::vector<Partition> partitions_;  // by queue
  std::vector<std::string> names_;     // by queue
  Verdict verdict_;
  bool any_snapshot_ = false;
  bool any_restore_ = false;
};

}  // namespace sluice
