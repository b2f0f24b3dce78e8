// What `sluice sweep --explore guided` writes: sweep.json (mode, corpus,
// coverage per run, coverage growth, the situations never reached) and, for
// a failing run, the scenario file that reruns it exactly.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/explore/guided.h"

namespace sluice {

struct ExploreHead {
  std::string scenario, file;
  std::uint64_t explore_seed = 0, runs_max = 0;
  std::vector<std::string> defects;
  nlohmann::json provenance;
};

// One run's record in sweep.json.
nlohmann::json explore_run_json(const ExploreRun& run);

// The whole sweep.json of a guided exploration. `failure_file`: the failing
// run's scenario file ("" when none failed).
nlohmann::json explore_sweep_json(const ExploreHead& head, const ExploreResult& result, const std::string& failure_file);

// Writes the failing run's scenario to DIR/NAME-run<K>.json and returns the path.
std::string write_failure_scenario(const std::filesystem::path& dir, const nlohmann::json& document,
                                   const std::string& name, const ExploreRun& run);

}  // namespace sluice
