// Runs one scenario over many seeds on a pool of OS threads (one whole
// simulation per thread at a time, nothing shared between them) and groups
// the failures by signature, so a thousand seeds failing on one bug read as
// one group with the cheapest seed to reproduce it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/run/failure.h"
#include "sim/scenario/scenario.h"

namespace sluice {

struct SeedResult {
  std::uint64_t seed = 0;
  bool ok = false;
  std::string trace_hash;
  std::uint64_t events = 0;  // scheduler events: the cost to reproduce, machine-independent
  std::vector<std::string> failed;  // invariants (or outcome) behind the failure
  std::string signature;            // empty when ok
  std::string first;                // the first violation's text
  nlohmann::json max_depth;         // {queue: max depth}
  double p99_ns = 0;
};

struct FailureGroup {
  std::string signature;
  std::vector<std::uint64_t> seeds;
  std::uint64_t fastest_seed = 0;  // the failing seed with the fewest scheduler events
  std::string example;             // its first violation
};

struct SweepOptions {
  std::vector<std::uint64_t> seeds;
  unsigned jobs = 1;
  RunOptions run;  // budgets and --strict for every seed (its seed is set per run)
  // Called on the calling thread after each seed finishes (progress display).
  std::function<void(std::size_t done, std::size_t failures)> on_progress;
};

// Results are in seed order, whatever the number of jobs or the finishing order.
std::vector<SeedResult> run_sweep(const Scenario& scenario, const SweepOptions& options);
std::vector<FailureGroup> group_failures(const std::vector<SeedResult>& results);

// The seeds A..B (inclusive) that shard I of N runs: every N-th, from the I-th.
std::vector<std::uint64_t> shard_seeds(std::uint64_t first, std::uint64_t last, std::uint64_t shard,
                                       std::uint64_t shards);

nlohmann::json sweep_json(const Scenario& scenario, const std::vector<SeedResult>& results,
                          const std::vector<FailureGroup>& groups);
// Merges shards' sweep.json files (same scenario) into one, regrouping failures.
nlohmann::json merge_sweeps(const std::vector<nlohmann::json>& shards);

}  // namespace sluice
