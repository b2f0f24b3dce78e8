// progress (liveness): while acknowledged events are pending, one of them
// reaches an outcome within stall_after of virtual time, and no single event
// is attempted, redelivered or replayed more than attempts_max times without
// one. Judged only from `judged_from` on: the moment every fault has healed
// (or begun, for a fault that never heals), since faults may legitimately
// stop progress while they last.
//
// Pending: accepted (acknowledged, or durable in a source's spill backlog),
// with no effect yet, not shed by a policy the scenario chose, not parked in
// a dead-letter sink, not dropped by an opted-in give-up, and not already
// reported lost (a crash took it, or a stage gave up on it: no_loss's case).
//
// The checker keeps one small entry per pending event (inserted when it is
// accepted, erased at its outcome): two map operations per event, so that
// it stays cheap on the hot path. Where a pending event sits is asked of the
// run's causal log (`Locate`) only when a violation has to name it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model/event.h"
#include "sim/check/event_id_map.h"
#include "sim/check/verdict.h"

namespace sluice {

// Where an event sits in the pipeline; `part` indexes the queues, stages or
// sources of the run's PartNames, depending on `spot`.
struct PendingPlace {
  // `unseen`: no record places it (it should not happen for an accepted event).
  enum class Spot : std::uint8_t { queue, inbox, service, retry, handover, spill, stranded, unseen };
  Spot spot = Spot::queue;
  std::uint32_t part = 0;
  std::uint32_t worker = 0;
  std::uint32_t attempts = 0;        // attempts, redeliveries and replays counted since judged_from
  Nanos since = 0;                   // when it got there
  const char* last_failure = "";     // the last failed attempt's reason (retry)
};

struct ProgressBounds {
  Nanos stall_after = 0;
  std::uint32_t attempts_max = 0;
  Nanos judged_from = 0;  // kNever: never judged
};

class ProgressChecker {
 public:
  // Where a pending event is now (spot, part, worker, since).
  using Locate = std::function<PendingPlace(EventId)>;
  // Describes a place for a violation ("queued in 'inbox' ...; waits on ...").
  using Describe = std::function<std::string(const PendingPlace&)>;
  ProgressChecker(ProgressBounds bounds, Locate locate, Describe describe);

  void set_bounds(ProgressBounds bounds) {
    bounds_ = bounds;
    rearm();
  }
  // The source got its acknowledgement (or spilled it durably): from here on
  // it is pending (a second call for the same event changes nothing). The
  // caller skips events that already reached an outcome (a topic's consumer
  // can be faster than the ack on its way back).
  void accepted(const Event& event, Nanos now);
  // An accepted event that had already reached its outcome when its
  // acknowledgement came (a sink the source calls directly): checked, never pending.
  void settled_before_ack() { ++outcomes_; }
  // A failed attempt, a redelivery or a replay of a pending event (livelock count).
  void attempted(const Event& event, const char* reason, Nanos now);
  // The event reached an outcome: an effect, a shed, a dead letter, an opted-in drop, or a reported loss.
  void resolved(const Event& event, Nanos now);

  // Judges the stall rule at `now` (called as history happens). Returns true
  // the first time progress is found violated: the run should stop.
  // The fast path is one comparison: it runs on every history record.
  bool check(Nanos now) { return now > check_after_ && check_slow(now); }
  // The verdict at the end of the run. `can_move` is false when the
  // simulation had nothing left to run (no timer): pending events then stay
  // stuck forever, whatever stall_after says.
  Verdict verdict(Nanos end, bool can_move);
  bool violated() const { return verdict_.violations > 0; }
  std::uint64_t pending() const { return pending_; }
  // The pending events that have waited longest, oldest first, described.
  std::vector<std::string> stuck(std::size_t most) const;
  // The same events with their places, for the progress explanation.
  std::vector<std::pair<EventId, PendingPlace>> stuck_places(std::size_t most) const;
  // The pending event with the most attempts (a livelock's), if any attempt was counted.
  std::optional<std::pair<EventId, PendingPlace>> most_attempted() const;

 private:
  bool check_slow(Nanos now);
  // Recomputes check_after_ after anything the stall rule reads has changed.
  void rearm();
  void violate(std::string what, Nanos now);
  struct Pending {
    std::uint32_t attempts = 0;     // attempts, redeliveries and replays counted since judged_from
    const char* last_failure = "";  // the last failed attempt's reason
    Nanos accepted_at = 0;
  };
  // Where a pending event sits, with its attempts (for a description).
  PendingPlace place_of(EventId id, const Pending& pending) const;
  void judge_attempts(EventId id, const Pending& pending, Nanos now);

  ProgressBounds bounds_;
  Locate locate_;
  Describe describe_;
  // The pending events. Looked up by id; listed only through stuck(), which sorts: no order leaks.
  EventIdMap<Pending> pending_events_;
  std::uint64_t pending_ = 0;         // pending_events_.size()
  std::uint64_t outcomes_ = 0;        // accepted events that reached an outcome
  Nanos last_outcome_ = 0;
  Nanos pending_since_ = 0;           // when pending_ last rose from zero
  Verdict verdict_;
  // The stall rule cannot break at or before this time (kNever: nothing pending, or already violated).
  Nanos check_after_ = kNever;
};

}  // namespace sluice
