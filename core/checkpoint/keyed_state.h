// A stateful operator's state for the keys of one topic partition, and the
// fold that builds it. State is kept per partition (Flink's key groups), so a
// partition's state moves with the partition when the group rebalances.
//
//   count_by_key    events per key
//   sum_by_key      the sum of size_bytes per key
//   last_by_key     size_bytes of the latest event per key
//   tumbling_count  events per key and window of emission time (the
//                   windows older than the two newest ones seen are fired
//                   and dropped, so state stays bounded by the keys)
//
// Snapshots are full (every entry) or incremental (the entries changed or
// removed since the last mark_clean()); applying a full snapshot replaces the
// state, applying an incremental one on top of its base reproduces it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/model/state_backend.h"
#include "core/model/event.h"

namespace sluice {

enum class OperatorKind { none, count_by_key, sum_by_key, last_by_key, tumbling_count };
const char* operator_kind_name(OperatorKind kind);

struct OperatorSpec {
  OperatorKind kind = OperatorKind::none;
  Nanos window = kNanosPerSecond;  // tumbling_count only
  StateBackend backend = StateBackend::snapshot;
  std::uint32_t standbys = 0;  // standby only: warm replicas per partition
};

class KeyedState {
 public:
  explicit KeyedState(OperatorSpec spec = {}) : spec_(spec) {}

  void apply(const Event& event);
  // A hash of every entry in key order: equal states, equal digests.
  std::uint64_t digest() const;
  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }

  std::string encode_full() const;
  // The entries changed since the last forget_changes_up_to().
  std::string encode_delta() const;
  // A point in the history of changes, to pass to forget_changes_up_to once
  // a snapshot taken here is known to be kept (its checkpoint completed).
  std::uint64_t mark() const { return changes_; }
  void forget_changes_up_to(std::uint64_t mark);
  // Applies a snapshot made by encode_full (replacing) or encode_delta
  // (merging). False when the bytes are not a snapshot.
  bool apply_snapshot(std::string_view bytes);

 private:
  struct Slot {
    std::uint64_t key;
    std::int64_t window;
    bool operator<(const Slot& other) const { return key != other.key ? key < other.key : window < other.window; }
  };
  // A value and the change count when it was last set: one map node per key,
  // so folding an event is one lookup.
  struct Entry {
    std::int64_t value = 0;
    std::uint64_t changed = 0;
  };
  Entry& touch(const Slot& slot);
  void fire_old_windows(std::int64_t newest);

  OperatorSpec spec_;
  std::map<Slot, Entry> values_;
  std::map<Slot, std::uint64_t> erased_;  // fired windows, with the change count when erased
  std::uint64_t changes_ = 0;
  std::uint64_t clean_ = 0;  // changes up to this are in a kept snapshot: deltas leave them out
  std::int64_t newest_window_ = 0;
};

}  // namespace sluice
