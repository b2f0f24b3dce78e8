#include "sim/world/fault_injector.h"

#include <algorithm>

#include "core/check.h"

namespace sluice {

void FaultInjector::schedule(const std::vector<FaultSpec>& faults) {
  for (const FaultSpec& fault : faults) {
    std::optional<NodeId> node = sim_.find_node(fault.target);
    SLUICE_CHECK(node.has_value(), "a fault targets a node the loader did not check");
    Nanos lasts = fault.kind == FaultKind::crash ? fault.restart_after : fault.duration;
    Nanos end = lasts == kNever ? kNever : fault.at + lasts;
    quiet_after_ = std::max(quiet_after_, end);
    sim_.call_at(fault.at, [this, fault, id = *node] { begin(fault, id); });
    if (end != kNever) sim_.call_at(end, [this, fault, id = *node] { heal(fault, id); });
  }
}

void FaultInjector::begin(const FaultSpec& fault, NodeId node) {
  NodeFaults& state = state_[node];
  listener_("fault", fault);
  switch (fault.kind) {
    case FaultKind::crash:
      state.pauses = 0;  // a crash ends any pause
      sim_.crash(node);
      break;
    case FaultKind::pause:
      if (state.pauses++ == 0) sim_.pause(node);
      break;
    case FaultKind::slow:
      state.slow_factors.push_back(fault.factor);
      apply_slowdown(node);
      break;
    case FaultKind::clock_skew:
      state.skew += fault.offset;
      sim_.set_clock_skew(node, state.skew);
      break;
  }
}

void FaultInjector::heal(const FaultSpec& fault, NodeId node) {
  NodeFaults& state = state_[node];
  listener_("heal", fault);
  switch (fault.kind) {
    case FaultKind::crash: sim_.restart(node); break;
    case FaultKind::pause:
      if (state.pauses > 0 && --state.pauses == 0) sim_.resume(node);
      break;
    case FaultKind::slow: {
      auto it = std::find(state.slow_factors.begin(), state.slow_factors.end(), fault.factor);
      if (it != state.slow_factors.end()) state.slow_factors.erase(it);
      apply_slowdown(node);
      break;
    }
    case FaultKind::clock_skew:
      state.skew -= fault.offset;
      sim_.set_clock_skew(node, state.skew);
      break;
  }
}

void FaultInjector::apply_slowdown(NodeId node) {
  double factor = 1.0;
  for (double f : state_[node].slow_factors) factor *= f;
  sim_.set_slowdown(node, factor);
}

}  // namespace sluice
