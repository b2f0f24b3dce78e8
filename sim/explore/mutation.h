// How the guided explorer derives new runs from the corpus, after AFL's
// havoc stage (a few random edits stacked on one input): shift a fault in
// time, add one (anywhere, or near one already there), drop one, move it to
// another node, splice in another corpus entry's schedule, change the
// perturbation sites, switch the scheduling strategy, or draw a fresh seed. Every edit
// keeps the schedule within the scenario's own fault vocabulary: added
// faults come from its swarm's draw, so a mutant is a run the swarm could
// have drawn, only more deliberately.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/random/rng.h"
#include "sim/explore/candidate.h"
#include "sim/scenario/scenario.h"

namespace sluice {

// A run as a swarm sweep would make it at `seed`: the scenario's faults plus
// its swarm's draw, with the strategy and perturbation given.
Candidate fresh_candidate(const Scenario& scenario, std::uint64_t seed, const StrategySpec& strategy,
                          const PerturbSpec& perturb);

// `parent` with one to three edits drawn from `rng`; `mate`, another corpus
// entry (or null), is what a splice takes the rest of the schedule from.
Candidate mutate(const Scenario& scenario, const Candidate& parent, const Candidate* mate, Rng& rng);

}  // namespace sluice
