#include "sim/coverage/node_roles.h"

#include <algorithm>

namespace sluice {

std::map<std::string, std::vector<std::string>> node_roles(const Scenario& scenario) {
  std::map<std::string, std::vector<std::string>> roles;
  auto add = [&](const std::string& node, const char* role) {
    std::vector<std::string>& list = roles[node];
    if (std::find(list.begin(), list.end(), role) == list.end()) list.push_back(role);
  };
  for (const SourceSpec& s : scenario.sources) add(s.node, "source");
  for (const BufferSpec& b : scenario.buffers) add(b.node, "buffer");
  for (const TopicSpec& t : scenario.topics) add(t.node, "broker");
  for (const StageSpec& s : scenario.stages) {
    for (const std::string& worker : s.workers) add(worker, "worker");
  }
  for (const SinkSpec& s : scenario.sinks) add(s.node, "sink");
  return roles;
}

}  // namespace sluice
