#include "sim/watch/order_check.h"

#include "sim/check/explain/explainers.h"

namespace sluice {

void OrderCheck::explain(const Effect& rec) {
  ctx_.explanations.explain_first("per_key_order", checker_.verdict(),
                                  [&] { return explain_order(ctx_.causal, rec.event, rec.sink, ctx_.now()); });
}

}  // namespace sluice
