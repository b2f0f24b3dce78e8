#include "sim/scenario/node_index.h"

#include <algorithm>
#include <optional>

#include "sim/scenario/message_text.h"
#include "sim/scenario/scenario_error.h"
#include "sim/scenario/suggest.h"

namespace sluice {

NodeIndex::NodeIndex(const std::vector<std::string>& nodes) : in_order_(nodes), sorted_(nodes) {
  std::sort(sorted_.begin(), sorted_.end());
}

bool NodeIndex::contains(const std::string& name) const {
  return std::binary_search(sorted_.begin(), sorted_.end(), name);
}

void NodeIndex::check(const std::string& file, const std::string& name, const std::string& pointer) const {
  if (contains(name)) return;
  const std::optional<std::string> near = nearest_name(name, in_order_);
  throw ScenarioError(file, pointer,
                      "no node named " + in_quotes(name, '\'') + (near ? " (did you mean " + in_quotes(*near, '\'') + "?)" : ""));
}

}  // namespace sluice
