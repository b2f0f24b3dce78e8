// per_key_order as a subscriber: judges each event's first effect at a sink
// (the rule: order_checker.h). A repeat is no_duplicate_effects' business,
// not a reordering, so it reads the delivery check's verdict on the effect;
// it runs after the recent history and the causal log have taken the effect in.
#pragma once

#include <string>
#include <vector>

#include "core/model/records.h"
#include "sim/watch/checker_context.h"
#include "sim/watch/delivery_check.h"
#include "sim/check/order_checker.h"

namespace sluice {

class OrderCheck {
 public:
  OrderCheck(const CheckerContext& ctx, const DeliveryCheck& delivery)
      : ctx_(ctx), delivery_(delivery), checker_(ctx.names.total_key_order) {}

  void on(const Effect& rec) {
    if (ctx_.names.sink_is_dead_letter[rec.sink]) return;
    const bool first = delivery_.last_effect_first();
    if (first) checker_.effect(rec.event, ctx_.now(), rec.sink);
    ctx_.capture_first(checker_.verdict(), context_, rec.event);
    if (first) explain(rec);
  }
  template <typename R>
  void on(const R&) {}

  Verdict verdict() const { return CheckerContext::with_context(checker_.verdict(), context_); }

 private:
  void explain(const Effect& rec);

  const CheckerContext& ctx_;
  const DeliveryCheck& delivery_;
  OrderChecker checker_;
  std::vector<std::string> context_;
};

}  // namespace sluice
