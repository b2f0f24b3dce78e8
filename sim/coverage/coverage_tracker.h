// A run's coverage (sim/coverage/coverage_kinds.h): the set of situations it
// reached, gathered from what the history already sees. History forwards the
// events it cares about here, one line each; nothing here draws from the
// run's generator or touches the trace hash, so coverage never changes a run.
//
// Cheap on the hot path: a queue's depth costs a compare unless it passes
// the next fill band, and a key is inserted only the first time it is reached.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/runtime/perturbation_sites.h"
#include "core/time.h"
#include "sim/world/fault_spec.h"

namespace sluice {

class CoverageTracker {
 public:
  // The parts, as History's PartNames lists them: queues [0, buffer_queues) are buffers.
  void set_parts(std::vector<std::string> queues, std::vector<std::uint64_t> capacities, std::size_t buffer_queues,
                 std::vector<std::string> stages, std::vector<std::int64_t> queue_consumers);
  // Each node's roles ("source", "buffer", "broker", "worker", "sink"), for fault_role.
  void set_node_roles(std::map<std::string, std::vector<std::string>> roles) { roles_ = std::move(roles); }

  void depth(std::uint32_t queue, std::size_t depth);
  void breaker(std::uint32_t stage, const char* state);
  void worker_lost(std::uint32_t stage);
  void rebalanced(std::uint32_t stage, std::uint64_t generation);
  void attempt_failed(std::uint32_t stage, Nanos now);
  void gave_up(std::uint32_t stage, bool dead_lettered);
  void snapshotted(std::uint32_t partition);
  void checkpoint_ended(std::uint32_t stage, bool completed);
  void fault_began(const FaultSpec& fault, Nanos now);
  void fault_point(std::string_view point);
  void perturbed(PerturbSite site);
  // A crash of `node` threw away unsynced writes (sim/world/disk.h's loss hook).
  void crash_lost(const std::string& node, std::uint64_t records, std::uint64_t puts);

  // Inserts a key (the precursor keys, sim/coverage/precursor_coverage.h, are built outside).
  void reach(std::string key) { keys_.insert(std::move(key)); }
  const std::map<std::string, std::vector<std::string>>& node_roles() const { return roles_; }

  const std::set<std::string>& keys() const { return keys_; }
  // Sorted keys: summary.json's "coverage".
  nlohmann::json json() const;

 private:
  std::vector<std::string> states(Nanos now) const;

  std::set<std::string> keys_;  // ordered: the output is stable
  std::vector<std::string> queues_, stages_;
  std::vector<std::uint64_t> capacities_;
  std::vector<std::int64_t> queue_consumers_;
  std::size_t buffer_queues_ = 0;
  std::vector<std::size_t> next_band_;      // per queue: the index of the next fill band not yet reached
  std::vector<std::size_t> next_band_depth_;  // per bounded buffer: the depth that reaches it (SIZE_MAX: none left)
  std::vector<std::size_t> backlog_depth_;    // per bounded buffer: 75% of its capacity (SIZE_MAX: unbounded)
  std::vector<bool> backlogged_;            // per queue: at or above 75% now
  std::size_t backlogged_count_ = 0;
  std::vector<bool> breaker_open_, rebalancing_, checkpointing_;  // per stage
  Nanos last_failed_attempt_ = -1;
  std::map<std::string, std::vector<std::string>> roles_;
};

}  // namespace sluice
