// Golden trace hashes: every shipped scenario, run with seeds 1 to 3, must
// produce the trace_hash pinned in tests/golden/trace_hashes.json. A change
// that alters runs on purpose rewrites the file with tools/update_golden.sh
// (SLUICE_UPDATE_GOLDEN=1), and the file's diff shows every behaviour change
// in review. Scenarios of a million events or more (the speed benches) are
// left out: too slow for the test build.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kSeeds[] = {1, 2, 3};

const fs::path& scenarios_dir() {
  static const fs::path dir = fs::path(SLUICE_SOURCE_DIR) / "scenarios";
  return dir;
}

const fs::path& golden_file() {
  static const fs::path file = fs::path(SLUICE_SOURCE_DIR) / "tests" / "golden" / "trace_hashes.json";
  return file;
}

// The one rule for what is not pinned: a scenario whose sources emit a
// million events or more (the speed benches), too slow for the test build.
constexpr std::uint64_t kTooManyEvents = 1'000'000;

bool pinned(const Scenario& scenario) {
  std::uint64_t events = 0;
  for (const SourceSpec& source : scenario.sources) events += source.count;
  return events < kTooManyEvents;
}

// Every shipped scenario file, relative to scenarios/ and sorted: the golden file's keys.
std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(scenarios_dir())) {
    const fs::path& path = entry.path();
    if (path.extension() != ".json" || path.filename() == "schema.json") continue;
    names.push_back(fs::relative(path, scenarios_dir()).generic_string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// {"basics/mm1.json": {"1": "<hash>", "2": ..., "3": ...}, ...}
nlohmann::json current_hashes() {
  nlohmann::json hashes = nlohmann::json::object();
  for (const std::string& name : shipped_scenarios()) {
    Scenario scenario = load_scenario_file((scenarios_dir() / name).string());
    if (!pinned(scenario)) continue;
    for (std::uint64_t seed : kSeeds) {
      RunOptions options;
      options.seed = seed;
      hashes[name][std::to_string(seed)] = hex64(run_scenario(scenario, options).trace_hash);
    }
  }
  return hashes;
}

bool updating() {
  const char* value = std::getenv("SLUICE_UPDATE_GOLDEN");
  return value != nullptr && std::strcmp(value, "1") == 0;
}

// One line per difference, naming the scenario and seed, so a reviewer sees
// every run that changed (and every scenario added or removed).
std::vector<std::string> differences(const nlohmann::json& golden, const nlohmann::json& now) {
  std::vector<std::string> lines;
  for (const auto& [name, seeds] : now.items()) {
    if (!golden.contains(name)) {
      lines.push_back(name + ": not in the golden file (a new scenario?)");
      continue;
    }
    for (const auto& [seed, hash] : seeds.items()) {
      const nlohmann::json pinned_hash = golden[name].value(seed, nlohmann::json());
      if (pinned_hash != hash) {
        lines.push_back(name + " --seed " + seed + ": trace_hash " + hash.get<std::string>() + ", golden " +
                        (pinned_hash.is_string() ? pinned_hash.get<std::string>() : std::string("none")));
      }
    }
  }
  for (const auto& [name, seeds] : golden.items()) {
    if (!now.contains(name)) lines.push_back(name + ": in the golden file but no longer shipped");
  }
  return lines;
}

TEST(GoldenTraceHash, EveryShippedScenarioRunsAsPinned) {
  const nlohmann::json now = current_hashes();
  ASSERT_GE(now.size(), 40u) << "fewer shipped scenarios than expected under " << scenarios_dir();
  if (updating()) {
    fs::create_directories(golden_file().parent_path());
    std::ofstream(golden_file()) << now.dump(2) << "\n";
    std::printf("golden: wrote %zu scenarios x %zu seeds to %s\n", now.size(), std::size(kSeeds),
                golden_file().c_str());
    return;
  }
  std::ifstream in(golden_file());
  ASSERT_TRUE(in) << "no golden file at " << golden_file() << "; create it with tools/update_golden.sh";
  const nlohmann::json golden = nlohmann::json::parse(in);
  const std::vector<std::string> changed = differences(golden, now);
  std::string report;
  for (const std::string& line : changed) report += "  " + line + "\n";
  EXPECT_TRUE(changed.empty()) << changed.size() << " run(s) differ from " << golden_file() << ":\n"
                               << report
                               << "If the change is meant to alter runs, rewrite the file with tools/update_golden.sh "
                                  "and explain the changed hashes in the commit message.";
}

// The comparison itself can fail: a changed hash, a new and a removed
// scenario are each named.
TEST(GoldenTraceHash, DifferencesNameEveryChangedRun) {
  const nlohmann::json golden = {{"a.json", {{"1", "00"}, {"2", "01"}}}, {"gone.json", {{"1", "02"}}}};
  const nlohmann::json now = {{"a.json", {{"1", "00"}, {"2", "ff"}}}, {"new.json", {{"1", "03"}}}};
  const std::vector<std::string> lines = differences(golden, now);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "a.json --seed 2: trace_hash ff, golden 01");
  EXPECT_EQ(lines[1], "new.json: not in the golden file (a new scenario?)");
  EXPECT_EQ(lines[2], "gone.json: in the golden file but no longer shipped");
}

}  // namespace
}  // namespace sluice
