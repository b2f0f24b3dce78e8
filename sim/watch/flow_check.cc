#include "sim/watch/flow_check.h"

#include "sim/check/explain/explainers.h"

namespace sluice {

void FlowCheck::explain(const DeliveredToWorker& rec) {
  ctx_.explanations.explain_first("flow_control", checker_.verdict(), [&] {
    return explain_flow(ctx_.causal, rec.stage, rec.worker, rec.event, ctx_.now());
  });
}

}  // namespace sluice
