// Shrinking a failing run: given a scenario that fails at one seed, find a
// smaller scenario that still fails the same way at that seed, so the person
// debugging it reads a handful of faults and a few hundred events instead of
// a swarm's dozens over minutes of virtual time.
//
// The search works on the scenario's JSON, greedily and in rounds until
// nothing more can be taken away (delta debugging): drop expectations other
// than the failing one, replace a swarm by the faults it drew for the seed,
// drop faults (halves, quarters, ... single ones) and round a swarm's
// nanosecond times, lower the source counts, run.until (and faults_end while
// a swarm remains), key counts and topic partitions by bisection, drop
// workers. Capacities and distributions are left alone: they change which
// behaviour the run has, not how much of it. Every candidate is validated by
// the loader (rejected ones are skipped, not run) and run at the seed; it is
// kept when it fails the same way (see ShrinkFailure).
//
// The engine reads no wall clock: a time budget comes in as a callback.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace sluice {

// How a run failed. Two runs "fail the same way" when both fields are equal.
struct ShrinkFailure {
  std::string invariant;  // the first failing expectation's invariant (or the outcome, for a deadlock)
  std::string first;      // its first violation's text
  std::string signature;  // failure_signature(invariant, first), as `sluice sweep` groups failures
  // How the run ended: "finished" (drained or quiescent), "time_limit", ...
  // Part of "the same way" so that cutting a run short at run.until, which
  // strands in-flight events, cannot pass for the original loss.
  std::string ending;

  bool same_as(const ShrinkFailure& other) const { return signature == other.signature && ending == other.ending; }
};

// The sizes a shrink reports before and after.
struct ShrinkFigures {
  std::uint64_t source_events = 0;     // the sum of the sources' counts
  std::size_t faults = 0;              // explicit faults plus those the swarm draws for the seed
  Nanos virtual_time = 0;              // when the run ended
  std::uint64_t scheduler_events = 0;  // scheduler events processed
  std::string trace_hash;
};

struct ShrinkProgress {
  std::size_t runs = 0;      // simulations run so far
  std::size_t max_runs = 0;
  std::string step;          // the reduction being tried, e.g. "/faults" or "/sources/0/count"
  ShrinkFigures before, current;
};

struct ShrinkOptions {
  std::size_t max_runs = 500;  // simulations, the first (which establishes the failure) included
  // Asked before each run; returning true ends the search with what was found so far.
  std::function<bool()> out_of_time;
  // Called after each run.
  std::function<void(const ShrinkProgress&)> on_progress;
};

struct ShrinkResult {
  bool reproduced = false;  // false: the seed does not fail, and nothing else below is set
  ShrinkFailure failure;    // the original run's
  ShrinkFigures before, after;
  nlohmann::json scenario;  // the minimised scenario, renamed "<name>-shrunk", with "seed" set
  std::size_t runs = 0;     // simulations run, the final check of the result included
  std::size_t rejected = 0; // candidates the loader refused (never run)
  bool budget_exhausted = false;
  std::vector<std::string> steps;  // the reductions kept, in order ("/faults: 11 -> 5 entries")
};

// Throws ScenarioError when `scenario_json` itself does not load. `file_label`
// names the scenario in errors and in the result's description.
ShrinkResult shrink_scenario(const nlohmann::json& scenario_json, const std::string& file_label,
                             std::uint64_t seed, const ShrinkOptions& options);

// A scenario as a file: top-level fields in the order scenario files use
// (name, description, seed, run, sources, ...), indented by two.
std::string scenario_file_text(const nlohmann::json& scenario);

}  // namespace sluice
