#include "sim/explore/candidate.h"

#include "sim/run/shrink_edits.h"
#include "sim/scenario/perturb_reader.h"

namespace sluice {

nlohmann::json candidate_scenario_json(const nlohmann::json& base, const Candidate& candidate) {
  nlohmann::json document = base;
  document["faults"] = nlohmann::json::array();
  document = with_swarm_replaced(document, candidate.faults);
  if (document["faults"].empty()) document.erase("faults");
  document["seed"] = candidate.seed;
  document["strategy"] = strategy_text(candidate.strategy);
  if (candidate.perturb.on()) {
    document["perturb"] = perturb_json(candidate.perturb);
  } else {
    document.erase("perturb");
  }
  return document;
}

}  // namespace sluice
