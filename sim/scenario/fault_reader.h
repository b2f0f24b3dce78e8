// Reads a scenario's fault schedule ("faults") and swarm settings ("swarm").
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/json_reader.h"
#include "sim/world/fault_spec.h"

namespace sluice {

// "faults": [ {"at": "60s", "kind": "crash", "target": "worker-1", "restart_after": "5s"}, ... ]
std::vector<FaultSpec> read_faults(const JsonReader& reader);
// "swarm": {"kinds": [...], "rate": 0.05, "intensity": 0.5, "targets": [...], "start": "10s"}
SwarmSpec read_swarm(const JsonReader& reader);
// Every target must be a node the topology names (checked once nodes are known).
void check_fault_targets(const JsonReader& document, const std::vector<FaultSpec>& faults,
                         const SwarmSpec* swarm, const std::vector<std::string>& nodes);

}  // namespace sluice
