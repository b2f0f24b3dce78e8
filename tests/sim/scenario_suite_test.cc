// The scenario regression suite: every shipped scenario (but the benches)
// runs and meets its own expectations, deterministically.
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
    files.push_back(path.string());
  }
  std::sort(files.begin(), files.end());
  return files;
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
    }
  }
}

}  // namespace
}  // namespace sluice
