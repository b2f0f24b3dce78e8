// Runs one scenario over many seeds on a pool of OS threads (one whole
// simulation per thread at a time, nothing shared between them) and groups
// the failures by signature, so a thousand seeds failing on one bug read as
// one group with the cheapest seed to reproduce it.
//
// Memory does not grow with the seed range: seeds are computed, not listed;
// results are handed on in seed order as they finish (a window of a few
// seeds per job waits for a slower one); failure groups keep a bounded list.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/run/failure.h"
#include "sim/run/runner.h"
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
  // {"enabled": [kinds the swarm enabled for this seed], "kinds": {kind: faults begun},
  //  "points": {fault point: crashes there}}: what the seed exercised.
  nlohmann::json faults = nlohmann::json::object();
  // {site: times fired} for the perturbation sites the seed enabled; null when perturbation is off.
  nlohmann::json perturbation;
  // The situations the seed reached (summary.json "coverage", sim/coverage/coverage_kinds.h).
  nlohmann::json coverage = nlohmann::json::array();
};

struct FailureGroup {
  std::string signature;
  std::uint64_t count = 0;           // every failing seed of the group
  std::vector<std::uint64_t> seeds;  // the first kMaxSeedsPerGroup of them
  std::uint64_t fastest_seed = 0;    // the failing seed with the fewest scheduler events
  std::uint64_t fastest_events = 0;
  std::string example;               // its first violation
};

// Failure groups built one seed at a time, in bounded memory: at most
// kMaxGroups signatures (later new ones are only counted) and
// kMaxSeedsPerGroup seeds listed per group.
class FailureGroups {
 public:
  static constexpr std::size_t kMaxGroups = 200;
  static constexpr std::size_t kMaxSeedsPerGroup = 100;
  void add(const SeedResult& result);
  // Largest group first; ties in signature order.
  std::vector<FailureGroup> groups() const;
  std::uint64_t ungrouped() const { return ungrouped_; }  // failing seeds beyond kMaxGroups signatures

 private:
  std::map<std::string, FailureGroup> by_signature_;  // ordered: the output order is stable
  std::uint64_t ungrouped_ = 0;
};

// The seeds A..B (inclusive) that shard I of N runs: every N-th, from the I-th.
struct SeedRange {
  std::uint64_t first = 0, last = 0;
  std::uint64_t shard = 0, shards = 1;
  std::uint64_t size() const;
  std::uint64_t at(std::uint64_t i) const { return first + shard + i * shards; }
};

struct StreamOptions {
  unsigned jobs = 1;
  RunOptions run;  // budgets and --strict for every seed (its seed is set per run)
  // Set (from a signal handler, say) to stop: no new seed starts, running
  // ones are abandoned unrecorded, and stream_sweep returns false.
  const std::atomic<bool>* stop = nullptr;
  // Called on the calling thread for every finished seed, in seed order.
  std::function<void(const SeedResult&)> on_result;
};

// Runs seeds `at(0)`..`at(count - 1)`. Returns true when every seed finished.
bool stream_sweep(const Scenario& scenario, std::uint64_t count, const std::function<std::uint64_t(std::uint64_t)>& at,
                  const StreamOptions& options);

// The whole sweep held in memory, for tests and small tools.
struct SweepOptions {
  std::vector<std::uint64_t> seeds;
  unsigned jobs = 1;
  RunOptions run;  // budgets and --strict for every seed (its seed is set per run)
};
std::vector<SeedResult> run_sweep(const Scenario& scenario, const SweepOptions& options);
std::vector<FailureGroup> group_failures(const std::vector<SeedResult>& results);
std::vector<std::uint64_t> shard_seeds(std::uint64_t first, std::uint64_t last, std::uint64_t shard,
                                       std::uint64_t shards);

// One seed's record in sweep.json, and back.
// The command a seed's repro line starts with: "sluice run FILE", plus
// " --strategy S" when the sweep ran under a command-line strategy, " --perturb" under --perturb.
std::string sweep_run_command(const std::string& scenario_file, const std::string& strategy, bool perturb = false);
nlohmann::json seed_json(const SeedResult& result, const std::string& run_command);
SeedResult seed_from_json(const nlohmann::json& record);
nlohmann::json groups_json(const std::vector<FailureGroup>& groups, const std::string& run_command);

// How often each fault kind and fault point was exercised across seeds:
// {"seeds": n, "kinds": {kind: {"enabled": seeds, "seeds": seeds where it
// began, "faults": total}}, "points": {point: {"seeds", "faults"}}}.
class FaultCoverage {
 public:
  void add(const SeedResult& result);
  nlohmann::json json() const;

 private:
  struct Tally {
    std::uint64_t enabled = 0, seeds = 0, faults = 0;
  };
  std::uint64_t seeds_ = 0;
  std::map<std::string, Tally> kinds_;
  std::map<std::string, Tally> points_;
};

}  // namespace sluice
