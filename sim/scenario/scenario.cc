#include "sim/scenario/scenario.h"

#include <set>

namespace sluice {

std::vector<std::string> Scenario::nodes() const {
  std::vector<std::string> order;
  std::set<std::string> seen;
  const auto mention = [&](const std::string& node) {
    if (seen.insert(node).second) order.push_back(node);
  };
  for (const SourceSpec& source : sources) mention(source.node);
  for (const BufferSpec& buffer : buffers) mention(buffer.node);
  for (const TopicSpec& topic : topics) mention(topic.node);
  for (const StageSpec& stage : stages) {
    for (const std::string& worker : stage.workers) mention(worker);
  }
  for (const SinkSpec& sink : sinks) mention(sink.node);
  return order;
}

}  // namespace sluice
