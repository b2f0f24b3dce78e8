// Coverage-guided exploration (`sluice sweep --explore guided`), after AFL's
// corpus loop and Antithesis's steering towards unseen states: keep every run
// that reached a situation no earlier run reached (sim/coverage/coverage_kinds.h),
// and derive new runs from those by mutation (sim/explore/mutation.h).
//
// Deterministic given the explore seed and independent of --jobs: runs come
// in generations of a fixed size, each derived from the corpus as it stood
// when the generation began, and their results are merged in candidate order
// (run index order), so the corpus, the coverage and the first failure are
// the same on one core or eight.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/explore/candidate.h"
#include "sim/run/runner.h"
#include "sim/scenario/scenario.h"

namespace sluice {

struct ExploreOptions {
  std::uint64_t runs = 1000;          // stop after this many runs (the whole generation is run, then cut)
  std::uint64_t explore_seed = 1;     // the explorer's own seed
  unsigned jobs = 1;
  bool keep_going = false;            // go on after a failure
  StrategySpec strategy{};            // fresh runs' strategy (--strategy, else the scenario's)
  PerturbSpec perturb{};              // fresh runs' perturbation (--perturb, else the scenario's)
  RunOptions run;                     // budgets and --strict
  const std::atomic<bool>* stop = nullptr;
  static constexpr std::uint64_t kGeneration = 8;  // runs per generation: fixed, so --jobs changes nothing
  static constexpr double kFreshFraction = 0.25;   // share of a generation drawn fresh rather than mutated
  static constexpr double kFreshPerturbedFraction = 0.25;  // share of fresh runs perturbed as --perturb asks
};

struct ExploreRun {
  std::uint64_t index = 0;     // 1-based, in candidate order
  Candidate candidate;
  bool ok = true;
  std::string signature;       // when it failed
  std::string first;
  std::uint64_t events = 0;
  std::vector<std::string> coverage;  // sorted keys
  std::uint64_t new_keys = 0;         // keys no earlier run reached
  std::uint64_t total_keys = 0;       // distinct keys over runs 1..index
  bool kept = false;                  // entered the corpus
};

struct ExploreResult {
  std::vector<ExploreRun> runs;
  std::vector<std::uint64_t> corpus;  // run indices, in the order they entered
  std::set<std::string> coverage;
  std::map<std::string, std::uint64_t> hits;  // key -> runs that reached it (rarity, for choosing parents)
  std::int64_t first_failure = -1;    // run index, or -1
  bool interrupted = false;
};

// `document`: the scenario file's JSON (with any --defect already in its
// "defects"); `scenario`: the same, loaded. `on_run` is called for each run
// in index order.
ExploreResult explore_guided(const nlohmann::json& document, const Scenario& scenario, const ExploreOptions& options,
                             const std::function<void(const ExploreRun&)>& on_run = {});

}  // namespace sluice
