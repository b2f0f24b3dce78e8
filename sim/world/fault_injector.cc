#include "sim/world/fault_injector.h"

#include <algorithm>

#include "core/check.h"
#include "sim/world/network.h"

namespace sluice {

void FaultInjector::schedule(const std::vector<FaultSpec>& faults) {
  for (const FaultSpec& fault : faults) {
    if (is_partition(fault.kind)) {
      SLUICE_CHECK(network_ != nullptr, "a partition fault needs the network: call set_network() first");
      const std::size_t index = cuts_.size();
      cuts_.push_back(resolve_cut(fault));
      const Nanos end = fault.lasts() == kNever ? kNever : fault.at + fault.lasts();
      quiet_after_ = std::max(quiet_after_, end);
      sim_.call_at(fault.at, [this, fault, index] { begin_cut(fault, index); });
      if (end != kNever) sim_.call_at(end, [this, fault, index] { heal_cut(fault, index); });
      continue;
    }
    std::optional<NodeId> node = sim_.find_node(fault.target);
    SLUICE_CHECK(node.has_value(), "a fault targets a node the loader did not check");
    if (fault.kind == FaultKind::crash_at_point) {
      sim_.call_at(fault.at, [this, fault, id = *node] { arm(fault, id); });
      continue;
    }
    Nanos end = fault.lasts() == kNever ? kNever : fault.at + fault.lasts();
    quiet_after_ = std::max(quiet_after_, end);
    sim_.call_at(fault.at, [this, fault, id = *node] { begin(fault, id); });
    if (end != kNever) sim_.call_at(end, [this, fault, id = *node] { heal(fault, id); });
  }
}

// The crash happens when the node passes the point, and the restart counts
// from then: the fault's record carries that moment, not when it was armed.
void FaultInjector::arm(const FaultSpec& fault, NodeId node) {
  sim_.arm_fault_point(node, fault.point, [this, fault, node] {
    FaultSpec fired = fault;
    fired.at = sim_.now();
    listener_("fault", fired);
    sim_.crash(node);
    if (fired.restart_after == kNever) return;
    sim_.call_at(fired.at + fired.restart_after, [this, fired, node] {
      listener_("heal", fired);
      sim_.restart(node);
    });
  });
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
    case FaultKind::partition:
    case FaultKind::partition_one_way: SLUICE_CHECK(false, "partitions go through begin_cut"); break;
    case FaultKind::crash_at_point: SLUICE_CHECK(false, "fault points go through arm"); break;
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
    case FaultKind::partition:
    case FaultKind::partition_one_way: SLUICE_CHECK(false, "partitions go through heal_cut"); break;
    case FaultKind::crash_at_point: SLUICE_CHECK(false, "fault points heal from arm"); break;
  }
}

FaultInjector::Cut FaultInjector::resolve_cut(const FaultSpec& fault) const {
  auto ids = [this](const std::vector<std::string>& names) {
    std::vector<NodeId> out;
    for (const std::string& name : names) {
      std::optional<NodeId> node = sim_.find_node(name);
      SLUICE_CHECK(node.has_value(), "a partition names a node the loader did not check");
      out.push_back(*node);
    }
    return out;
  };
  Cut cut;
  for (const auto& group : fault.groups) cut.groups.push_back(ids(group));
  cut.from = ids(fault.from);
  cut.to = ids(fault.to);
  return cut;
}

void FaultInjector::begin_cut(const FaultSpec& fault, std::size_t index) {
  listener_("fault", fault);
  Cut& cut = cuts_[index];
  cut.id = fault.kind == FaultKind::partition ? network_->partition(cut.groups)
                                              : network_->partition_one_way(cut.from, cut.to);
}

void FaultInjector::heal_cut(const FaultSpec& fault, std::size_t index) {
  listener_("heal", fault);
  network_->heal(cuts_[index].id);
}

void FaultInjector::apply_slowdown(NodeId node) {
  double factor = 1.0;
  for (double f : state_[node].slow_factors) factor *= f;
  sim_.set_slowdown(node, factor);
}

}  // namespace sluice
