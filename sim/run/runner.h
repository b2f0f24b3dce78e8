// Runs one scenario with one seed: builds the simulated nodes and the
// pipeline, runs it in virtual time, and returns the verdicts and figures
// that summary.json and series.json are made of.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/check/verdict.h"
#include "sim/runtime/simulation.h"
#include "sim/scenario/scenario.h"

namespace sluice {

struct RunOptions {
  std::optional<std::uint64_t> seed;         // overrides the scenario's
  std::optional<StrategyKind> strategy;      // overrides the scenario's
  std::string trace_path;                    // trace.jsonl; empty: no trace
};

struct RunReport {
  std::string scenario;
  std::uint64_t seed = 0;
  std::uint64_t trace_hash = 0;
  bool ok = false;
  RunOutcome outcome = RunOutcome::quiescent;
  std::string outcome_message;
  Nanos virtual_time = 0;
  std::uint64_t events = 0;
  std::vector<std::pair<std::string, Verdict>> invariants;  // in invariant_names() order
  std::vector<std::string> expectation_failures;            // why ok is false
  nlohmann::json summary;  // summary.json without wall_ms (the caller adds it)
  nlohmann::json series;   // series.json
};

RunReport run_scenario(const Scenario& scenario, const RunOptions& options);

std::string hex64(std::uint64_t value);
std::string repro_command(const Scenario& scenario, std::uint64_t seed);

}  // namespace sluice
