// The scenario regression suite: every shipped scenario (but the benches and
// the tour's examples that fail on purpose) runs and meets its own
// expectations, deterministically.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(std::string(SLUICE_SOURCE_DIR) + "/scenarios")) {
    const fs::path& path = entry.path();
    if (path.extension() != ".json" || path.filename() == "schema.json") continue;
    if (path.parent_path().filename() == "bench") continue;  // speed benchmarks, run on demand
    if (path.parent_path().filename() == "tour") continue;   // fail some seeds on purpose (README's tour)
    // Shown failing on purpose; tests/sim/alerts_test.cc expects their failures.
    if (path.parent_path().filename() == "fails_on_purpose") continue;
    files.push_back(path.string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Little's law, L = lambda W, for every queue that ended empty: both sides
// are the area under the queue's depth curve over the run, so they agree to
// float rounding whatever the scenario, faults and policies.
void expect_littles_law(const RunReport& report, const std::string& where) {
  for (const auto& [name, q] : report.summary["queues"].items()) {
    if (q["arrivals"] != q["departures"]) continue;  // still holding events when the run ended
    double l = q["mean_depth"].get<double>();
    double lambda_w = q["arrival_rate_per_s"].get<double>() * q["mean_wait_ns"].get<double>() / 1e9;
    EXPECT_NEAR(l, lambda_w, 1e-6 * std::max(1.0, l)) << where << " queue " << name;
  }
}

TEST(ScenarioSuite, EveryScenarioMeetsItsExpectations) {
  std::vector<std::string> files = shipped_scenarios();
  ASSERT_GE(files.size(), 10u);
  for (const std::string& file : files) {
    Scenario scenario = load_scenario_file(file);
    for (std::uint64_t seed : {scenario.seed, scenario.seed + 1, scenario.seed + 2}) {
      RunOptions options;
      options.seed = seed;
      RunReport report = run_scenario(scenario, options);
      EXPECT_TRUE(report.ok) << file << " --seed " << seed << ": " << report.summary["expectations"].dump(2);
      EXPECT_EQ(report.trace_hash, run_scenario(scenario, options).trace_hash) << file << " --seed " << seed;
      expect_littles_law(report, file + " --seed " + std::to_string(seed));
    }
  }
}

}  // namespace
}  // namespace sluice
