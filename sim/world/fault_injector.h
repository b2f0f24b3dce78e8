// Applies a fault list to a simulation at the scheduled virtual times, and
// heals each fault when its duration ends. Faults are wrappers around the
// core, never flags inside it: the core only sees nodes crash, stall and slow.
#pragma once

#include <functional>
#include <map>
#include <vector>

#include "sim/runtime/simulation.h"
#include "sim/world/fault_spec.h"

namespace sluice {

class FaultInjector {
 public:
  // Called at each fault and each heal ("fault" / "heal") with the spec.
  using Listener = std::function<void(const char* what, const FaultSpec& fault)>;

  FaultInjector(Simulation& sim, Listener listener) : sim_(sim), listener_(std::move(listener)) {}
  // REQUIRES: every target names a node of `sim`.
  void schedule(const std::vector<FaultSpec>& faults);
  // The virtual time by which every scheduled fault has healed (0 if none;
  // kNever if a fault never heals).
  Nanos quiet_after() const { return quiet_after_; }

 private:
  // Overlapping faults of one kind on one node compose: the node resumes
  // when its last pause ends, slow factors multiply, skews add.
  struct NodeFaults {
    int pauses = 0;
    std::vector<double> slow_factors;
    Nanos skew = 0;
  };
  void begin(const FaultSpec& fault, NodeId node);
  void heal(const FaultSpec& fault, NodeId node);
  void apply_slowdown(NodeId node);

  Simulation& sim_;
  Listener listener_;
  std::map<NodeId, NodeFaults> state_;
  Nanos quiet_after_ = 0;
};

}  // namespace sluice
