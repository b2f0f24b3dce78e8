// bounded_queues as a subscriber: judges every arrival (Enqueued) against
// its queue's capacity (the rule: bounded_queues_checker.h). It reads the
// recent history and the causal log before they take the arrival in, so its
// context and explanation end just before the offending enqueue.
#pragma once

#include <string>
#include <vector>

#include "core/model/records.h"
#include "sim/check/bounded_queues_checker.h"
#include "sim/watch/checker_context.h"

namespace sluice {

class BoundedQueuesCheck {
 public:
  explicit BoundedQueuesCheck(const CheckerContext& ctx) : ctx_(ctx), checker_(!ctx.names.queues.empty()) {}

  void on(const Enqueued& rec) {
    const std::uint64_t capacity = ctx_.names.queue_capacities[rec.queue];
    checker_.enqueued(ctx_.names.queues[rec.queue], capacity, rec.depth, ctx_.now(), rec.event);
    ctx_.capture_first(checker_.verdict(), context_, rec.event);
    if (rec.depth > capacity) explain(rec, capacity);
  }
  template <typename R>
  void on(const R&) {}

  Verdict verdict() const { return CheckerContext::with_context(checker_.verdict(), context_); }

 private:
  void explain(const Enqueued& rec, std::uint64_t capacity);

  const CheckerContext& ctx_;
  BoundedQueuesChecker checker_;
  std::vector<std::string> context_;
};

}  // namespace sluice
