// The fault vocabulary of a scenario: what happens to which node, when, and
// for how long. An explicit list, or a seeded "swarm" that draws one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "sim/catalog/fault_kind_catalog.h"

namespace sluice {


struct FaultSpec {
  Nanos at = 0;
  FaultKind kind = FaultKind::crash;
  std::string target;           // a node name; empty for partitions
  Nanos duration = kNever;      // pause, slow, clock_skew, partitions; kNever: until the run ends
  Nanos restart_after = kNever; // crash, crash_at_point; kNever: stays down
  std::string point;            // crash_at_point: a name from core/runtime/fault_points.h
  double factor = 1.0;          // slow
  Nanos offset = 0;             // clock_skew
  std::vector<std::vector<std::string>> groups;  // partition: two or more disjoint groups of nodes
  std::vector<std::string> from;                 // partition_one_way: senders whose messages are lost...
  std::vector<std::string> to;                   // ...on their way to these nodes

  // How long it lasts once it begins: restart_after for kinds that restart a
  // node, duration for the rest. kNever: until the run ends.
  Nanos lasts() const;
  // Every node the fault touches, in the order the spec names them.
  std::vector<std::string> nodes() const;
  // For labels: the target, "a,b | c" for a partition, "a -> b,c" for a one-way one.
  std::string describe_targets() const;
};

// Swarm testing (Groce et al.): each seed enables a random non-empty subset
// of the fault kinds, then draws faults from them as a Poisson process, so
// across seeds some runs concentrate on one kind of trouble and others mix.
struct SwarmSpec {
  std::vector<FaultKind> kinds;       // candidate kinds
  double rate_per_s = 0;              // mean faults per second of virtual time, before faults_end
  double intensity = 0.5;             // (0, 1]: scales durations and slow factors
  Nanos max_clock_skew = 0;           // a clock_skew's offset is drawn in +-this; 0: +-intensity seconds
  std::vector<std::string> targets;   // nodes that may be hit; empty: every node
  Nanos start = 0;                    // no fault before this
  bool transaction_points = false;    // crash_at_point also draws the transaction coordinator's points
  bool scale_in_points = false;       // ... and the scale-in drain's (the scenario autoscales)
};

// Draws the swarm's fault list for one seed, over [start, faults_end).
// `nodes` is every node of the scenario, used when targets is empty.
std::vector<FaultSpec> draw_swarm(const SwarmSpec& swarm, Nanos faults_end, const std::vector<std::string>& nodes,
                                  std::uint64_t seed);

// The fault kinds the swarm enables for `seed` (the subset draw_swarm draws from).
std::vector<FaultKind> swarm_enabled_kinds(const SwarmSpec& swarm, const std::vector<std::string>& nodes,
                                           std::uint64_t seed);

}  // namespace sluice
