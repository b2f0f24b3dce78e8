// The scenario's node names, for checking the many references to them (fault
// and swarm targets, partition sides, links, per-node disks). A sorted copy
// makes each check O(log n), so 40,960 swarm targets against as many nodes
// validate in milliseconds instead of the seconds a linear scan takes each.
#pragma once

#include <string>
#include <vector>

namespace sluice {

class NodeIndex {
 public:
  // `nodes` in file order, which "did you mean" suggestions follow.
  // REQUIRES: `nodes` outlives the index.
  explicit NodeIndex(const std::vector<std::string>& nodes);

  bool contains(const std::string& name) const;
  // Throws a ScenarioError at `pointer` of `file` unless `name` is a node.
  void check(const std::string& file, const std::string& name, const std::string& pointer) const;

 private:
  const std::vector<std::string>& in_order_;
  std::vector<std::string> sorted_;
};

}  // namespace sluice
