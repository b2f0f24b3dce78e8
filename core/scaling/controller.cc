#include "core/scaling/controller.h"

#include <string>
#include <utility>

namespace sluice {

ScalingController::ScalingController(Runtime& runtime, Observer& observer, StageIndex stage, ScalingTarget& target,
                                     AutoscaleConfig config, bool stabilize)
    : runtime_(runtime), observer_(observer), stage_(stage), target_(target), autoscaler_(std::move(config), stabilize) {}

void ScalingController::start(NodeId node) {
  runtime_.on_node_start(node, [this, node] {
    runtime_.spawn(node, "autoscaler of stage " + std::to_string(stage_), [this] { run(); }, SpawnOptions{.daemon = true});
  });
}

void ScalingController::run() {
  // The first sample only sets the baseline the first rates are measured from.
  autoscaler_.decide(target_.scaling_sample());
  for (;;) {
    runtime_.sleep_for(autoscaler_.config().period);
    std::optional<ScalingDecision> decision = autoscaler_.decide(target_.scaling_sample());
    if (!decision || decision->to == decision->from) continue;
    observer_.on(ScalingDecided{stage_, decision->from, decision->to, decision->reason});
    target_.scale_to(decision->to);
  }
}

}  // namespace sluice
