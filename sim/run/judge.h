// How each invariant of the catalog (sim/catalog/invariant_catalog.h) is
// judged: one switch over InvariantId, so the compiler names a catalog entry
// that nothing judges. The runner judges every entry, in catalog order.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/catalog/invariant_catalog.h"
#include "sim/check/verdict.h"
#include "sim/run/history.h"
#include "sim/scenario/scenario.h"

namespace sluice {

// The verdict on one invariant when the run has ended at `end`.
Verdict judge(InvariantId id, const Scenario& scenario, History& history, Nanos end);
// Every invariant of the catalog, in its order.
std::vector<std::pair<std::string, Verdict>> judge_all(const Scenario& scenario, History& history, Nanos end);
// The verdict so far, mid-run (the live visualizer), for the invariants judged
// online; nullopt for those only the end of the run can decide.
std::optional<Verdict> verdict_so_far(InvariantId id, const History& history);

}  // namespace sluice
