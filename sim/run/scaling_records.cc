#include "sim/run/scaling_records.h"

#include <cstring>

#include "sim/check/explain/explainers.h"

namespace sluice {

// A replica that leaves while it still holds events loses them: explained
// with the causal log's replica marks.
void ScalingRecords::on(const ReplicaChanged& rec) {
  const auto& [stage, worker, state] = rec;
  const std::int64_t held = scaling_.held(stage, worker);
  scaling_.replica_changed(ctx_.now(), stage, worker, state);
  if (std::strcmp(state, "left") != 0 || held <= 0) return;
  ctx_.explanations.explain_first("scale_in_is_lossless", scaling_.scale_in_is_lossless(),
                                  [&] { return explain_scale_in(ctx_.causal, stage, worker, held, ctx_.now()); });
}

}  // namespace sluice
