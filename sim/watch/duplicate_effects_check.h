// no_duplicate_effects as a subscriber: the sinks' repeats (judged by the
// delivery check, which sees every effect first) and the intermediate
// transactional topics' (txn_checker.h, judged here on each committed
// marker) make one verdict. It runs after the recent history and the causal
// log, whose records its context and explanations quote.
#pragma once

#include <string>
#include <vector>

#include "core/model/records.h"
#include "sim/watch/checker_context.h"
#include "sim/watch/delivery_check.h"
#include "sim/check/txn_checker.h"

namespace sluice {

class DuplicateEffectsCheck {
 public:
  DuplicateEffectsCheck(const CheckerContext& ctx, const DeliveryCheck& delivery);

  void on(const Effect& rec) {
    if (ctx_.names.sink_is_dead_letter[rec.sink]) return;
    ctx_.capture_first(delivery_.checker().no_duplicate_effects(), context_, rec.event);
    if (!delivery_.last_effect_first()) explain_repeat(rec);
  }
  void on(const TxnMarkerWritten& rec);
  template <typename R>
  void on(const R&) {}

  Verdict verdict() const {
    return CheckerContext::with_context(merge_duplicates(delivery_.checker().no_duplicate_effects(), txns_.verdict()),
                                      context_);
  }

 private:
  void explain_repeat(const Effect& rec);

  const CheckerContext& ctx_;
  const DeliveryCheck& delivery_;
  TxnChecker txns_;
  std::vector<std::string> context_;
};

}  // namespace sluice
