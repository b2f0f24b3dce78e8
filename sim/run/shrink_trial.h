// One run of a shrink candidate at the seed, reduced to what the search
// compares (how it failed) and what it reports (how big it was).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/run/runner.h"
#include "sim/run/shrink.h"
#include "sim/scenario/scenario.h"
#include "sim/world/fault_spec.h"

namespace sluice {

struct ShrinkTrial {
  std::optional<ShrinkFailure> failure;  // nullopt: every expectation held
  ShrinkFigures figures;
};

ShrinkTrial run_trial(const Scenario& scenario, std::uint64_t seed);

// The first failing expectation in report order, classified as `sluice sweep`
// classifies a failing seed (sweep.cc); nullopt when every expectation held.
std::optional<ShrinkFailure> failure_of(const Scenario& scenario, const RunReport& report);

// The faults the scenario's swarm draws for `seed` (none without a swarm),
// with the very function the runner draws them with.
std::vector<FaultSpec> swarm_faults(const Scenario& scenario, std::uint64_t seed);

}  // namespace sluice
