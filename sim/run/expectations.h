// Exit-code semantics (DESIGN.md): a run is ok when it ended cleanly, every
// invariant in expect.hold held and every one in expect.violate was seen
// broken. An expectation on an invariant the run did not judge is a failure
// too, never a silent pass.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/check/verdict.h"
#include "sim/runtime/simulation.h"
#include "sim/scenario/scenario.h"

namespace sluice {

// Why the run is not ok; empty when it is. `invariants` are the judged ones.
std::vector<std::string> expectation_failures(const ExpectSpec& expect, RunOutcome outcome,
                                              const std::string& outcome_message,
                                              const std::vector<std::pair<std::string, Verdict>>& invariants);

}  // namespace sluice
