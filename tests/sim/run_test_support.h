// Helpers for tests that run shipped scenarios end to end and read their
// reports: load a scenario by its path under scenarios/, look up a verdict,
// read a count from the summary, the coverage a healthy run reaches.
#pragma once

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice::testing {

// `path` is relative to scenarios/, e.g. "broker/broker_crash.json".
inline Scenario shipped(const std::string& path) {
  return load_scenario_file(std::string(SLUICE_SOURCE_DIR) + "/scenarios/" + path);
}

inline const Verdict& verdict(const RunReport& report, const std::string& name) {
  for (const auto& [n, v] : report.invariants) {
    if (n == name) return v;
  }
  throw std::logic_error(name);
}

inline std::uint64_t count(const RunReport& report, const char* name) {
  return report.summary["counts"][name].get<std::uint64_t>();
}

// The coverage keys of `scenario` at `seed` with its defects removed: a
// situation, not a bug, so the healthy twin must reach it too.
inline std::set<std::string> healthy_coverage(Scenario scenario, std::uint64_t seed) {
  scenario.defects = Defects{};
  RunOptions options;
  options.seed = seed;
  RunReport report = run_scenario(scenario, options);
  std::set<std::string> keys;
  for (const nlohmann::json& key : report.summary["coverage"]) keys.insert(key.get<std::string>());
  return keys;
}

}  // namespace sluice::testing
