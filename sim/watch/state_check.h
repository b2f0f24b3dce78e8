// checkpoint_consistency as a subscriber: follows each checkpointed
// partition's log (appends, sheds, crash-lost tails, aborted transactions'
// records) and judges every snapshot and restore against the fold of it (the
// rule: state_checker.h). It runs after the causal log, whose snapshot and
// restore marks its explanation quotes.
#pragma once

#include "core/model/records.h"
#include "sim/watch/checker_context.h"
#include "sim/check/state_checker.h"

namespace sluice {

class StateCheck {
 public:
  explicit StateCheck(const CheckerContext& ctx);

  void on(const Enqueued& rec) { checker_.appended(rec.queue, rec.event); }
  void on(const Shed& rec) {
    if (rec.waited != kShedOnArrival) checker_.shed(rec.queue, rec.event);  // one shed on arrival never entered
  }
  void on(const LostInCrash& rec) { checker_.lost_tail(rec.queue); }
  void on(const StateSnapshotted& rec);
  void on(const StateRestored& rec);
  void on(const TxnMarkerWritten& rec);
  template <typename R>
  void on(const R&) {}

  Verdict verdict() const { return checker_.verdict(); }

 private:
  void explain(QueueIndex partition, std::uint64_t id, std::uint64_t offset, std::uint64_t digest, bool restore);

  const CheckerContext& ctx_;
  StateChecker checker_;
};

}  // namespace sluice
