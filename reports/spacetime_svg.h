// "Why it failed": each violated invariant's explanation as a sentence, a
// space-time diagram (ShiViz-style: one lane per node, time left to right,
// the events involved as arrows between lanes, fault spans on the lanes they
// hit, checkpoints, rebalances and restores as marks) and the list of steps.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace sluice::reports {

// One diagram for one explanation ({why, steps[]}); `nodes` lists the lanes
// (summary.json's topology.nodes), `faults` is summary.json's "faults".
std::string render_spacetime(const nlohmann::json& explanation, const nlohmann::json& nodes,
                             const nlohmann::json& faults);
// The whole section's inner HTML: empty when no invariant carries an explanation.
std::string why_it_failed(const nlohmann::json& summary);

}  // namespace sluice::reports
