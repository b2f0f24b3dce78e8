// progress as a subscriber: tells the progress checker (progress_checker.h)
// when each event is accepted, attempted again and resolved, and judges the
// stall rule as records arrive. When progress breaks, the run stops at once
// (on_stalled), as it would otherwise spin until a budget ends it. It also
// tells the failover record how many events are pending while a restarted
// node catches up.
//
// Order: after the delivery check (an ack asks whether the event is already
// resolved) and the failover record, and before the causal log takes the
// record in: a violation names each stuck event's place before this record,
// except for a failed attempt (ProgressAfterCausal, below), whose livelock
// names the place of the attempt.
#pragma once

#include <functional>

#include "core/model/records.h"
#include "sim/watch/checker_context.h"
#include "sim/watch/delivery_check.h"
#include "sim/watch/pending_places.h"
#include "sim/check/progress_checker.h"
#include "sim/watch/redeliveries.h"
#include "sim/metrics/failover_record.h"
#include "sim/world/world_records.h"

namespace sluice {

class ProgressWatch {
 public:
  ProgressWatch(const CheckerContext& ctx, const DeliveryCheck& delivery, const Redeliveries& redeliveries,
                const PendingPlaces& places, FailoverRecord& failover);

  void on(const Acked& rec);
  void on(const SourceDropped& rec) { resolved(rec.event); }
  void on(const Spilled& rec) {
    // Durable in the source's backlog: the source promised it, so it is pending.
    checker_.accepted(rec.event, ctx_.now());
    after();
  }
  void on(const Replayed& rec) { attempted(rec.event, "replay"); }
  void on(const Enqueued&) { check(); }
  void on(const Shed& rec) { resolved(rec.event); }
  void on(const LostInCrash& rec) { resolved(rec.event); }  // gone for good: no_loss reports it, not progress
  void on(const ServiceStarted&) { check(); }
  void on(const ServiceFinished&) { check(); }
  void on(const CreditRequested&) { check(); }
  void on(const DeliveredToWorker&) { check(); }
  void on(const LostInTransit& rec);
  void on(const GaveUp& rec) {
    if (!rec.dead_lettered) resolved(rec.event);  // dropped by policy, or reported lost by no_loss
  }
  void on(const Effect& rec) { resolved(rec.event); }  // an effect, or parked as a dead letter
  void on(const Fetched& rec) {
    if (redeliveries_.last_was_redelivery()) attempted(rec.event, "redelivery");
  }
  void on(const FaultBegan&) { check(); }
  void on(const FaultHealed&) { check(); }
  template <typename R>
  void on(const R&) {}

  // A failed attempt (ProgressAfterCausal calls it).
  void attempted(const Event& event, const char* reason) {
    checker_.attempted(event, reason, ctx_.now());
    after();
  }
  // Judges the stall rule now, for stretches with no history at all (a
  // member cut off from its broker retries in silence).
  void check() {
    checker_.check(ctx_.now());
    after();
  }
  void set_bounds(ProgressBounds bounds) { checker_.set_bounds(bounds); }
  void on_stalled(std::function<void()> callback) { on_stalled_ = std::move(callback); }
  bool stalled() const { return stalled_; }
  ProgressChecker& checker() { return checker_; }
  const ProgressChecker& checker() const { return checker_; }

 private:
  void resolved(const Event& event) {
    checker_.resolved(event, ctx_.now());
    after();
  }
  // Tells a catching-up failover the pending count, and stops the run (once)
  // when progress has just been found violated.
  void after() {
    if (failover_.awaits_catch_up()) failover_.pending_now(ctx_.now(), checker_.pending());
    if (stalled_ || !checker_.violated()) return;
    stalled_ = true;
    if (on_stalled_) on_stalled_();
  }

  const CheckerContext& ctx_;
  const DeliveryCheck& delivery_;
  const Redeliveries& redeliveries_;
  FailoverRecord& failover_;
  ProgressChecker checker_;
  bool stalled_ = false;
  std::function<void()> on_stalled_;
};

// The progress watch's one record that must follow the causal log: a
// livelock found on a failed attempt names the place of that attempt.
class ProgressAfterCausal {
 public:
  explicit ProgressAfterCausal(ProgressWatch& watch) : watch_(watch) {}
  void on(const AttemptFailed& rec) { watch_.attempted(rec.event, rec.reason); }
  template <typename R>
  void on(const R&) {}

 private:
  ProgressWatch& watch_;
};

}  // namespace sluice
