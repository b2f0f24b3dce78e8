// Reads a stage's "autoscale" block (README, "Elastic scaling and alerts")
// and gives the stage its replica slots: `workers`, then the `pool`'s nodes
// in turn, up to `max`.
#pragma once

#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario.h"

namespace sluice {

// Fills stage.autoscale and extends stage.workers to `max` slots; bad input
// fails with the JSON path (exit 2).
void read_autoscale(const JsonReader& reader, StageSpec& stage);
// "slo": {"p99": "250ms", "after": "2m"}: the latency_slo invariant's bound.
LatencySlo read_slo(const JsonReader& reader);
// A checkpoint block's "adaptive": {"min", "max", "alignment_target", "replay_target"}
// (all optional; absent: the defaults of core/checkpoint/adaptive_interval.h).
AdaptiveCheckpointConfig read_adaptive_checkpoints(const std::optional<JsonReader>& reader);

}  // namespace sluice
