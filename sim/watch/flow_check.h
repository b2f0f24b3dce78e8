// flow_control as a subscriber: a worker is never handed more events than the
// credits it asked for (the rule: flow_checker.h). It runs after the recent
// history and the causal log, whose credit tally its explanation quotes.
#pragma once

#include <string>
#include <vector>

#include "core/model/records.h"
#include "sim/watch/checker_context.h"
#include "sim/check/flow_checker.h"

namespace sluice {

class FlowCheck {
 public:
  explicit FlowCheck(const CheckerContext& ctx) : ctx_(ctx), checker_(ctx.names.stage_workers) {}

  void on(const CreditRequested& rec) {
    checker_.requested(rec.stage, rec.worker, rec.n, ctx_.now(), ctx_.names.stages[rec.stage]);
  }
  void on(const DeliveredToWorker& rec) {
    checker_.delivered(rec.stage, rec.worker, rec.event, ctx_.now(), ctx_.names.stages[rec.stage]);
    if (!checker_.verdict().ok()) explain(rec);
    ctx_.capture_first(checker_.verdict(), context_, rec.event);
  }
  void on(const WorkerLost& rec) { checker_.worker_lost(rec.stage, rec.worker); }
  template <typename R>
  void on(const R&) {}

  Verdict verdict() const { return CheckerContext::with_context(checker_.verdict(), context_); }

 private:
  void explain(const DeliveredToWorker& rec);

  const CheckerContext& ctx_;
  FlowChecker checker_;
  std::vector<std::string> context_;
};

}  // namespace sluice
