// checkpoint_consistency: the snapshot or restored state against the fold of
// the log, and which records the two disagree on: the offsets and the state
// came from different checkpoints.
#include "sim/check/explain/explain_support.h"
#include "sim/check/explain/explainers.h"

#include <optional>
#include <vector>

namespace sluice {
namespace {

const Mark* snapshot_of(const CausalLog& log, QueueIndex queue, std::uint64_t checkpoint, Nanos before) {
  const Mark* found = nullptr;
  for (const Mark* m : marks_between(log, "snapshot", 0, before, queue)) {
    if (m->id == checkpoint) found = m;
  }
  return found;
}

// The newest snapshot of `queue` taken at `offset` other than `checkpoint`'s.
const Mark* snapshot_at(const CausalLog& log, QueueIndex queue, std::uint64_t offset, std::uint64_t checkpoint,
                        Nanos before) {
  const Mark* found = nullptr;
  for (const Mark* m : marks_between(log, "snapshot", 0, before, queue)) {
    if (m->offset == offset && m->id != checkpoint) found = m;
  }
  return found;
}

// The crash that forced the restore: the latest one since the checkpoint.
const FaultWindow* crash_between(const CausalLog& log, Nanos t0, Nanos t1) {
  return latest_fault(log, [&](const FaultWindow& f) { return f.begin >= t0 && f.begin <= t1 && f.is_crash(); });
}

// The newest snapshot of `queue` from a checkpoint later than `checkpoint`, taken before `before`.
const Mark* newer_snapshot(const CausalLog& log, QueueIndex queue, std::uint64_t checkpoint, Nanos before) {
  const Mark* found = nullptr;
  for (const Mark* m : marks_between(log, "snapshot", 0, before, queue)) {
    if (m->id > checkpoint && (!found || m->id > found->id)) found = m;
  }
  return found;
}

// The worker that applied the restore of `queue` at `t`, as a place (Role::stage if unknown).
Place restorer(const CausalLog& log, QueueIndex queue, Nanos t) {
  std::vector<const Mark*> marks = marks_between(log, "restorer", t, t, queue);
  if (marks.empty()) return {Role::stage, 0, 0};
  return {Role::worker, static_cast<std::uint32_t>(marks.back()->id), marks.back()->worker};
}

// A restore from an older checkpoint than the latest completed one: the
// worker applied an answer that was stale by then (it was paused, or kept
// restoring for a generation the group had left). The offsets and state
// agree; what is wrong is which checkpoint they came from.
Explanation explain_stale_restore(const CausalLog& log, QueueIndex queue, std::uint64_t checkpoint, std::uint64_t offset,
                                  const Mark* taken, const Mark& newer, Nanos now) {
  Explanation out;
  out.at = now;
  const std::string partition = log.where(Place{Role::queue, queue});
  const Place by = restorer(log, queue, now);
  const std::string node = by.role == Role::worker ? log.node_of(by) : std::string();
  const std::string who = by.role == Role::worker ? log.part_name(by) + " on node " + node : std::string("a worker");
  if (taken) {
    out.steps.push_back(mark_step(log, *taken, "checkpoint " + std::to_string(checkpoint) + " snapshots the state at offset " +
                                                   std::to_string(taken->offset)));
  }
  out.steps.push_back(mark_step(log, newer, "checkpoint " + std::to_string(newer.id) + " completes (offset " +
                                                std::to_string(newer.offset) + "): from here on it is the one to restore"));
  // A fault of the restorer's node that ends at the restore: it held the answer through it.
  const FaultWindow* held = nullptr;
  for (const FaultWindow& f : log.faults()) {
    if (!node.empty() && f.hits(node) && f.begin <= newer.t && f.end <= now && f.end + kNanosPerMilli * 10 >= now) held = &f;
  }
  if (held) out.steps.push_back(log.step(*held, true, "the " + held->label() + " holds the worker with the older answer"));
  out.steps.push_back({now, by.role == Role::worker ? node : log.node_of(Place{Role::queue, queue}),
                       by.role == Role::worker ? log.part_name(by) : log.part_name(Place{Role::queue, queue}), "restore", "",
                       "restores stale checkpoint " + std::to_string(checkpoint) + " and rewinds to offset " +
                           std::to_string(offset)});
  out.why = "A stale checkpoint was restored: " + who + " restored " + partition + " from checkpoint " +
            std::to_string(checkpoint) + " at " + human_time(now) + ", but checkpoint " + std::to_string(newer.id) +
            " had completed at " + human_time(newer.t) + " (its coordinator on node " +
            log.node_of(Place{Role::queue, queue}) + ")" + (held ? ", while " + fault_words(*held) + " held the worker" : "") +
            ": the answer it applied was no longer the latest.";
  order_steps(out.steps);
  return out;
}

// A changelog restore whose changelog retention had cut records still the
// latest of their keys: the replay cannot rebuild those keys.
std::optional<Explanation> explain_trimmed_changelog(const CausalLog& log, QueueIndex queue, std::uint64_t checkpoint,
                                                     std::uint64_t offset, Nanos now) {
  const std::vector<const Mark*> rebuilt = marks_between(log, "rebuilt", now, now, queue);
  if (rebuilt.empty() || rebuilt.back()->id == 0) return std::nullopt;
  const Mark& cut = *rebuilt.back();
  Explanation out;
  out.at = now;
  const Place place{Role::queue, queue};
  const std::string partition = log.where(place);
  const Place by = restorer(log, queue, now);
  out.steps.push_back({now, log.node_of(place), log.part_name(place), "changelog", "",
                       "retention had trimmed the changelog to offset " + std::to_string(cut.offset) + ", deleting " +
                           std::to_string(cut.id) + " record(s) still the latest of their key"});
  out.steps.push_back({now, by.role == Role::worker ? log.node_of(by) : log.node_of(place),
                       by.role == Role::worker ? log.part_name(by) : log.part_name(place), "restore", "",
                       "replays the changelog from offset " + std::to_string(cut.offset) + " for checkpoint " +
                           std::to_string(checkpoint)});
  out.why = "The changelog of " + partition + " was trimmed past what the restore needed: retention had cut it to offset " +
            std::to_string(cut.offset) + ", deleting " + std::to_string(cut.id) +
            " record(s) that were still the latest value of their key, so the restore at " + human_time(now) +
            " replayed it without them and the state misses those keys: it is not the fold of the records before "
            "offset " + std::to_string(offset) +
            (log.places().has_defect("changelog_trimmed_early") ? " (the changelog_trimmed_early defect trims a "
                                                                  "compacted changelog like an input topic)"
                                                                : std::string()) +
            ".";
  return out;
}

// What the state folded instead of the records before `offset`, in words,
// with a step per differing record (at most a few named).
std::string diff_words(const CausalLog& log, Place place, std::uint64_t offset, const StateDiff& diff, Nanos now,
                       Explanation& out) {
  if (!diff.found) {
    return "the state includes records past the offset, or misses some before it (no fold of the records the "
           "checker keeps has its digest)";
  }
  std::string names;
  for (std::size_t i = 0; i < diff.records.size() && i < 4; ++i) {
    names += (i == 0 ? "" : ", ") + std::to_string(diff.records[i].offset) + " (event " +
             event_name(diff.records[i].event) + ")";
  }
  if (diff.records.size() > 4) names += ", ... (" + std::to_string(diff.records.size()) + " records)";
  const std::string part = log.part_name(place), node = log.node_of(place);
  for (std::size_t i = 0; i < diff.records.size() && i < 4; ++i) {
    out.steps.push_back({now, node, part, "checkpoint", event_name(diff.records[i].event),
                         "record " + std::to_string(diff.records[i].offset) +
                             (diff.with_skipped ? " belongs to an aborted transaction, and the state folded it"
                              : diff.fold_offset > offset ? " is past the snapshot's offset, and the state folded it"
                                                          : " is before the snapshot's offset, and the state misses it")});
  }
  if (diff.with_skipped) {
    return "the state folded records of aborted transactions that read_committed skips, at offsets " + names +
           (log.places().has_defect("read_uncommitted_downstream")
                ? " (the read_uncommitted_downstream defect hands them to the operator)"
                : "");
  }
  if (diff.fold_offset > offset) {
    return "it equals the fold of the records before offset " + std::to_string(diff.fold_offset) +
           ": the state already includes records " + names + ", past the offset it records, so a restore applies them again";
  }
  return "it equals the fold of the records before offset " + std::to_string(diff.fold_offset) + ": it misses records " +
         names + ", which a restore would skip";
}

}  // namespace


Explanation explain_state(const CausalLog& log, QueueIndex queue, std::uint64_t checkpoint, std::uint64_t offset,
                          bool restore, Nanos now, const StateDiff& diff) {
  Explanation out;
  out.at = now;
  const Place place{Role::queue, queue};
  const std::string partition = log.where(place);
  const Mark* taken = snapshot_of(log, queue, checkpoint, now);
  if (taken) {
    out.steps.push_back(mark_step(log, *taken, "checkpoint " + std::to_string(checkpoint) + " snapshots the state at offset " +
                                                   std::to_string(taken->offset)));
  }
  if (!restore) {
    out.steps.push_back({now, log.node_of(place), log.part_name(place), "checkpoint", "",
                         "the snapshot's state differs from the fold of the records before offset " + std::to_string(offset)});
    out.why = "Checkpoint " + std::to_string(checkpoint) + "'s snapshot of " + partition + " at offset " +
              std::to_string(offset) + " (" + human_time(now) + ") does not equal the fold of the records before " +
              "that offset: " + diff_words(log, place, offset, diff, now, out) + ".";
    return out;
  }
  if (std::optional<Explanation> trimmed = explain_trimmed_changelog(log, queue, checkpoint, offset, now)) return *trimmed;
  if (const Mark* newer = newer_snapshot(log, queue, checkpoint, now)) {
    return explain_stale_restore(log, queue, checkpoint, offset, taken, *newer, now);
  }
  const FaultWindow* crash = crash_between(log, now - 60'000'000'000, now);
  if (crash) out.steps.push_back(log.step(*crash, true, "the " + crash->label() + " forces a restore"));
  out.steps.push_back({now, log.node_of(place), log.part_name(place), "restore", "",
                       "restores checkpoint " + std::to_string(checkpoint) + "'s state and rewinds to offset " +
                           std::to_string(offset)});
  // State and offsets agree, yet a later checkpoint had completed: the restore went back too far.
  const Mark* later = nullptr;
  for (const Mark* m : marks_between(log, "checkpoint", 0, now)) {
    if (m->id > checkpoint && (!later || m->id > later->id)) later = m;
  }
  if (taken && taken->offset == offset && later) {
    out.steps.push_back(mark_step(log, *later, "checkpoint " + std::to_string(later->id) + " completed"));
    out.why = "The restore of " + partition + " at " + human_time(now) + (crash ? " after " + fault_words(*crash) : "") +
              " went back to checkpoint " + std::to_string(checkpoint) + " (offset " + std::to_string(offset) +
              ") although checkpoint " + std::to_string(later->id) + " had completed at " + human_time(later->t) +
              ": recovery must restore the latest completed checkpoint, or the records between them are applied again.";
    order_steps(out.steps);
    return out;
  }
  const Mark* stale = taken && taken->offset != offset ? snapshot_at(log, queue, offset, checkpoint, now) : nullptr;
  // The partition may have had no snapshot at that offset (no records yet): the offsets are an older checkpoint's.
  const bool older = !stale && taken && offset < taken->offset;
  if (stale) {
    out.steps.push_back(mark_step(log, *stale, "checkpoint " + std::to_string(stale->id) + " (the stale one) had offset " +
                                                   std::to_string(offset)));
  }
  std::string differ;
  if (taken && taken->offset != offset) {
    const std::uint64_t lo = std::min(taken->offset, offset), hi = std::max(taken->offset, offset);
    differ = ": records " + std::to_string(lo) + " to " + std::to_string(hi - 1) + " are " +
             (offset < taken->offset ? "in the state and will be applied again" : "skipped by both");
  }
  out.why = "The restore of " + partition + " at " + human_time(now) + (crash ? " after " + fault_words(*crash) : "") +
            " took checkpoint " + std::to_string(checkpoint) + "'s state (offset " +
            (taken ? std::to_string(taken->offset) : std::string("unknown")) + ") but offset " + std::to_string(offset) +
            (stale ? " from stale checkpoint " + std::to_string(stale->id)
                   : older ? std::string(" from an older, stale checkpoint") : std::string()) +
            (log.places().has_defect("restore_stale_offsets") ? " (the restore_stale_offsets defect)" : "") +
            ", so the state and the offsets disagree" + differ + ".";
  order_steps(out.steps);
  return out;
}

}  // namespace sluice
