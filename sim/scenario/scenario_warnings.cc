#include "sim/scenario/scenario_warnings.h"

#include <algorithm>
#include <set>

#include "sim/scenario/units.h"

namespace sluice {
namespace {

// Whether a stage can ever give up on an event (and so use its dead-letter sink).
bool can_give_up(const StageSpec& stage) {
  const StagePolicies& p = stage.policies;
  return p.failure_probability > 0 || p.poison_fraction > 0 || p.timeout != kNever;
}

// Every part some source's events can reach (through stages' outputs,
// fan-outs, and dead letters when the stage can fail), with the sources
// themselves. The loader rejects parts no path leads to; a dead-letter sink
// behind a stage that never fails is the part left that sees nothing.
std::set<std::string> parts_reached(const Scenario& scenario) {
  std::set<std::string> reached;
  std::vector<std::string> pending;
  for (const SourceSpec& source : scenario.sources) {
    reached.insert(source.id);
    pending.push_back(source.to);
  }
  while (!pending.empty()) {
    const std::string id = pending.back();
    pending.pop_back();
    if (!reached.insert(id).second) continue;
    for (const StageSpec& stage : scenario.stages) {
      if (stage.from != id) continue;
      reached.insert(stage.id);
      pending.push_back(stage.to);
      pending.insert(pending.end(), stage.fan_out.begin(), stage.fan_out.end());
      if (!stage.policies.dead_letter.empty() && can_give_up(stage)) pending.push_back(stage.policies.dead_letter);
    }
  }
  return reached;
}

// Nodes hosting a part that events reach: a fault elsewhere changes nothing.
std::set<std::string> busy_nodes(const Scenario& scenario) {
  const std::set<std::string> reached = parts_reached(scenario);
  std::set<std::string> nodes;
  auto host = [&](const std::string& part, const std::string& node) {
    if (reached.count(part) != 0) nodes.insert(node);
  };
  for (const SourceSpec& s : scenario.sources) host(s.id, s.node);
  for (const BufferSpec& b : scenario.buffers) host(b.id, b.node);
  for (const TopicSpec& t : scenario.topics) host(t.id, t.node);
  for (const SinkSpec& s : scenario.sinks) host(s.id, s.node);
  for (const StageSpec& s : scenario.stages) {
    for (const std::string& worker : s.workers) host(s.id, worker);
  }
  return nodes;
}

Nanos fault_lasts(const FaultSpec& fault) {
  const bool crash = fault.kind == FaultKind::crash || fault.kind == FaultKind::crash_at_point;
  return crash ? fault.restart_after : fault.duration;
}

void warn_faults(const Scenario& scenario, std::vector<std::string>& out) {
  const std::set<std::string> busy = busy_nodes(scenario);
  for (std::size_t i = 0; i < scenario.faults.size(); ++i) {
    const FaultSpec& fault = scenario.faults[i];
    const std::string where = "/faults/" + std::to_string(i);
    if (scenario.run.until != kNever && fault.at >= scenario.run.until) {
      out.push_back(where + "/at: the fault begins at " + format_duration(fault.at) + ", at or after run.until (" +
                    format_duration(scenario.run.until) + "): it never happens");
    }
    for (const std::string& node : fault.nodes()) {
      if (busy.count(node) != 0) continue;
      out.push_back(where + ": node '" + node + "' runs nothing any event reaches: the fault on it changes nothing");
    }
    const Nanos lasts = fault_lasts(fault);
    if (scenario.run.drain_within != kNever && lasts != kNever && lasts > scenario.run.drain_within) {
      out.push_back("/run/drain_within: " + format_duration(scenario.run.drain_within) + " is shorter than fault " +
                    std::to_string(i) + " (" + format_duration(lasts) +
                    "): the backlog it builds may need longer than that to drain");
    }
  }
}

void warn_exactly_once(const Scenario& scenario, std::vector<std::string>& out) {
  if (scenario.delivery != DeliveryMode::exactly_once) return;
  const bool stateful = std::any_of(scenario.stages.begin(), scenario.stages.end(),
                                    [](const StageSpec& s) { return s.op.kind != OperatorKind::none; });
  const bool transactional = std::any_of(scenario.sinks.begin(), scenario.sinks.end(),
                                         [](const SinkSpec& s) { return s.transactional; });
  if (!stateful) {
    out.push_back("/delivery: exactly_once without a stateful operator (\"operator\" on a stage): "
                  "checkpoint_consistency has no state to check");
  }
  if (!transactional) {
    out.push_back("/delivery: exactly_once without a transactional sink: effects are not committed with checkpoints");
  }
}

}  // namespace

std::vector<std::string> scenario_warnings(const Scenario& scenario) {
  std::vector<std::string> out;
  warn_faults(scenario, out);
  warn_exactly_once(scenario, out);
  return out;
}

}  // namespace sluice
