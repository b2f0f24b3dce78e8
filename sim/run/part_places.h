// The names and nodes of a scenario's parts, indexed like the core's ids,
// so explanations can say "worker-1 of 'work' on node w1".
#pragma once

#include "sim/check/explain/causal_log.h"
#include "sim/scenario/scenario.h"

namespace sluice {

PartPlaces part_places(const Scenario& scenario);

}  // namespace sluice
