// What each node of a scenario hosts, for coverage's fault_role ("a crash hit
// a broker" is a different situation from "a crash hit a worker").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/scenario/scenario.h"

namespace sluice {

// node -> its roles ("source", "buffer", "broker", "worker", "sink"), each once, in that order.
std::map<std::string, std::vector<std::string>> node_roles(const Scenario& scenario);

}  // namespace sluice
