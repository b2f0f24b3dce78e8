// One run the guided explorer proposes: a seed, an explicit fault schedule,
// a scheduling strategy and perturbation sites. Everything a run depends on
// is here, so a candidate written out as a scenario file (scenario_json)
// reruns exactly: `sluice run FILE --seed S`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/runtime/perturbation.h"
#include "sim/runtime/pick_strategy.h"
#include "sim/world/fault_spec.h"

namespace sluice {

struct Candidate {
  std::uint64_t seed = 1;
  std::vector<FaultSpec> faults;  // the whole schedule: the scenario's own faults plus drawn or mutated ones
  StrategySpec strategy{};
  PerturbSpec perturb{};          // sites empty: off
  // Where it came from, for sweep.json: -1 for a fresh draw, else the run index of its parent.
  std::int64_t parent = -1;
  std::vector<std::string> mutations;  // e.g. "shift", "add", "retarget"
};

// The scenario document `base` (its swarm removed) running exactly `candidate`:
// its faults replace the document's, and its strategy, perturbation and seed
// are written in.
nlohmann::json candidate_scenario_json(const nlohmann::json& base, const Candidate& candidate);

}  // namespace sluice
