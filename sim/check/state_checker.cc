#include "sim/check/state_checker.h"

#include <algorithm>

namespace sluice {
namespace {

constexpr std::size_t kFoldPointsKept = 6;

std::string hex(std::uint64_t value) {
  static const char* digits = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) out[static_cast<std::size_t>(i)] = digits[value & 15];
  return out;
}

}  // namespace

StateChecker::StateChecker(std::vector<OperatorSpec> operators, std::vector<std::string> queue_names)
    : names_(std::move(queue_names)) {
  for (const OperatorSpec& op : operators) {
    Partition p;
    p.op = op;
    if (op.kind != OperatorKind::none) p.folds.emplace(0, KeyedState(op));  // nothing folded before offset 0
    partitions_.push_back(std::move(p));
  }
}

void StateChecker::appended(QueueIndex queue, const Event& event) {
  if (!checked(queue)) return;
  Partition& p = partitions_[queue];
  p.records.push_back({p.next_offset++, event, false});
}

void StateChecker::lost_tail(QueueIndex queue) {
  if (!checked(queue)) return;
  Partition& p = partitions_[queue];
  if (!p.records.empty() && p.records.back().offset + 1 == p.next_offset) p.records.pop_back();
  if (p.next_offset > 0) --p.next_offset;
}

void StateChecker::shed(QueueIndex queue, const Event& event) {
  if (!checked(queue)) return;
  for (Record& record : partitions_[queue].records) {
    if (record.event.id == event.id && !record.skipped) {
      record.skipped = true;
      return;
    }
  }
}

void StateChecker::skipped(QueueIndex queue, std::uint64_t offset) {
  if (!checked(queue)) return;
  std::deque<Record>& records = partitions_[queue].records;
  const auto at = std::lower_bound(records.begin(), records.end(), offset,
                                   [](const Record& record, std::uint64_t o) { return record.offset < o; });
  if (at != records.end() && at->offset == offset) at->skipped = true;
}

std::optional<KeyedState> StateChecker::fold_at(Partition& p, std::uint64_t offset) const {
  auto base = p.folds.upper_bound(offset);
  if (base == p.folds.begin()) return std::nullopt;
  --base;
  KeyedState state = base->second;
  for (const Record& record : p.records) {
    if (record.offset < base->first) continue;
    if (record.offset >= offset) break;
    if (!record.skipped) state.apply(record.event);
  }
  // The records must reach the offset: one past the end was never appended.
  if (offset > p.next_offset) return std::nullopt;
  return state;
}

void StateChecker::keep(Partition& p, std::uint64_t offset, KeyedState state) {
  p.folds.insert_or_assign(offset, std::move(state));
  while (p.folds.size() > kFoldPointsKept) p.folds.erase(p.folds.begin());
  const std::uint64_t oldest = p.folds.begin()->first;
  while (!p.records.empty() && p.records.front().offset < oldest) p.records.pop_front();
}

std::optional<KeyedState> StateChecker::judge(QueueIndex queue, std::uint64_t offset, std::uint64_t digest,
                                              const std::string& what, Nanos now) {
  ++verdict_.checked;
  std::optional<KeyedState> expected = fold_at(partitions_[queue], offset);
  const std::string where = what + " of partition '" + names_[queue] + "' at offset " + std::to_string(offset);
  if (!expected) {
    verdict_.violate(where + ": the checker kept no fold point at or before it (t=" + std::to_string(now) + "ns)");
  } else if (expected->digest() != digest) {
    verdict_.violate(where + " has state digest " + hex(digest) + ", but the fold of exactly the records before " +
                     "that offset has digest " + hex(expected->digest()) + " (t=" + std::to_string(now) +
                     "ns): the state and the offsets disagree");
  }
  return expected;
}

void StateChecker::snapshotted(QueueIndex queue, std::uint64_t checkpoint, std::uint64_t offset, std::uint64_t digest,
                               Nanos now) {
  if (!checked(queue)) return;
  any_snapshot_ = true;
  Partition& p = partitions_[queue];
  if (checkpoint > p.latest_checkpoint) {
    p.latest_checkpoint = checkpoint;
    p.latest_completed_at = now;
  }
  std::optional<KeyedState> expected = judge(queue, offset, digest, "checkpoint " + std::to_string(checkpoint) + "'s snapshot", now);
  if (expected) keep(partitions_[queue], offset, std::move(*expected));
}

void StateChecker::restored(QueueIndex queue, std::uint64_t checkpoint, std::uint64_t offset, std::uint64_t digest,
                            Nanos now) {
  if (!checked(queue)) return;
  any_restore_ = true;
  const Partition& p = partitions_[queue];
  if (checkpoint < p.latest_checkpoint) {
    ++verdict_.checked;
    verdict_.violate("partition '" + names_[queue] + "' restored from checkpoint " + std::to_string(checkpoint) +
                     " at t=" + std::to_string(now) + "ns, but checkpoint " + std::to_string(p.latest_checkpoint) +
                     " had completed at t=" + std::to_string(p.latest_completed_at) +
                     "ns: recovery must restore the latest completed checkpoint");
  }
  judge(queue, offset, digest, "the restore from checkpoint " + std::to_string(checkpoint), now);
}

// Folds the kept records forward from the oldest fold point, checking the
// digest at every offset: once as read_committed folds them, once counting
// the records it skips too.
StateDiff StateChecker::diff(QueueIndex queue, std::uint64_t offset, std::uint64_t digest) const {
  StateDiff out;
  if (!checked(queue) || partitions_[queue].folds.empty()) return out;
  const Partition& p = partitions_[queue];
  for (const bool with_skipped : {false, true}) {
    KeyedState state = p.folds.begin()->second;
    std::uint64_t at = p.folds.begin()->first;
    auto record = p.records.begin();
    for (;;) {
      if (state.digest() == digest && !with_skipped && at == offset) return out;  // no mismatch here
      if (state.digest() == digest) {
        out.found = true;
        out.fold_offset = at;
        out.with_skipped = with_skipped;
        break;
      }
      if (record == p.records.end() || at >= p.next_offset) break;
      if (record->offset == at) {
        if (!record->skipped || with_skipped) state.apply(record->event);
        ++record;
      }
      ++at;
    }
    if (out.found) break;
  }
  if (!out.found) return out;
  const std::uint64_t lo = std::min(offset, out.fold_offset), hi = std::max(offset, out.fold_offset);
  for (const Record& r : p.records) {
    const bool between = r.offset >= lo && r.offset < hi && !r.skipped;
    const bool aborted = out.with_skipped && r.skipped && r.offset < out.fold_offset;
    if (between || aborted) out.records.push_back({r.offset, r.event.id});
  }
  return out;
}

Verdict StateChecker::verdict() const {
  Verdict out = verdict_;
  out.applicable = applicable();
  if (!out.applicable) out.note = "no stateful operator was checkpointed or restored";
  return out;
}

}  // namespace sluice
