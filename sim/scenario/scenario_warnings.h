// What `sluice validate` warns about without failing: a scenario that loads
// fine but whose faults or expectations cannot do what they seem to (a fault
// that never fires or hits nothing, an exactly-once run with nothing to
// check, a drain bound the faults make unreachable).
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/scenario.h"

namespace sluice {

// One line per warning, each naming the JSON path it is about.
std::vector<std::string> scenario_warnings(const Scenario& scenario);

}  // namespace sluice
