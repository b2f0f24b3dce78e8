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

class Network;

class FaultInjector {
 public:
  // Called at each fault and each heal ("fault" / "heal") with the spec.
  using Listener = std::function<void(const char* what, const FaultSpec& fault)>;

  FaultInjector(Simulation& sim, Listener listener) : sim_(sim), listener_(std::move(listener)) {}
  // REQUIRES: every target names a node of `sim`.
  // REQUIRES: set_network() first when a fault is a partition.
  void schedule(const std::vector<FaultSpec>& faults);
  // The network that partitions cut.
  void set_network(Network* network) { network_ = network; }
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
  void arm(const FaultSpec& fault, NodeId node);
  void begin(const FaultSpec& fault, NodeId node);
  void heal(const FaultSpec& fault, NodeId node);
  void apply_slowdown(NodeId node);
  // Partitions: the fault's node groups, resolved once, and the network's
  // handle of the cut while it is in force.
  struct Cut {
    std::vector<std::vector<NodeId>> groups;  // partition
    std::vector<NodeId> from, to;             // partition_one_way
    std::uint64_t id = 0;
  };
  Cut resolve_cut(const FaultSpec& fault) const;
  void begin_cut(const FaultSpec& fault, std::size_t index);
  void heal_cut(const FaultSpec& fault, std::size_t index);

  Simulation& sim_;
  Listener listener_;
  std::map<NodeId, NodeFaults> state_;
  Network* network_ = nullptr;
  std::vector<Cut> cuts_;
  Nanos quiet_after_ = 0;
};

}  // namespace sluice
