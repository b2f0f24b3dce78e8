// Every injected defect is caught by the checker that exists for it, within
// 100 seeds, and the same scenario without the defect holds: the violation
// is the defect's, not the scenario's.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/catalog/invariant_catalog.h"
#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

const Verdict& verdict(const RunReport& report, const std::string& name) {
  for (const auto& [n, v] : report.invariants) {
    if (n == name) return v;
  }
  throw std::logic_error(name);
}

struct DefectCase {
  std::string file;
  std::string invariant;
};

// The catalog says which defects must trip which invariant.
std::vector<DefectCase> defect_cases() {
  std::vector<DefectCase> cases;
  for (const InvariantInfo& info : invariant_catalog()) {
    for (std::string_view defect : info.defects) cases.push_back({std::string(defect) + ".json", std::string(info.name)});
  }
  return cases;
}

class DefectIsCaught : public ::testing::TestWithParam<DefectCase> {};

TEST_P(DefectIsCaught, WithinAHundredSeedsAndOnlyWithTheDefect) {
  const DefectCase& c = GetParam();
  Scenario scenario = load_scenario_file(std::string(SLUICE_SOURCE_DIR) + "/scenarios/defects/" + c.file);
  std::uint64_t found_at = 0;
  for (std::uint64_t seed = 1; seed <= 100 && found_at == 0; ++seed) {
    RunOptions options;
    options.seed = seed;
    if (!verdict(run_scenario(scenario, options), c.invariant).ok()) found_at = seed;
  }
  ASSERT_NE(found_at, 0u) << c.invariant << " never caught the defect in 100 seeds";

  Scenario healthy = scenario;
  healthy.defects = Defects{};
  RunOptions options;
  options.seed = found_at;
  RunReport report = run_scenario(healthy, options);
  // Without the defect the defect's invariant holds, and so does every one
  // the scenario expects to (a broker crash may still repeat effects:
  // at-least-once is not the defect).
  for (const auto& [name, v] : report.invariants) {
    const bool expected = name == c.invariant || std::find(scenario.expect.hold.begin(), scenario.expect.hold.end(), name) !=
                                                     scenario.expect.hold.end();
    if (expected) {
      EXPECT_TRUE(v.ok()) << "without the defect, " << name << " broke too: " << v.first;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Defects, DefectIsCaught, ::testing::ValuesIn(defect_cases()),
                         [](const auto& info) {
                           std::string name = info.param.file;
                           return name.substr(0, name.find('.'));
                         });

// Every defect the core can inject has its scenario (and a case above): a
// defect no checker catches would be a checker bug.
TEST(Defects, EveryDefectHasAScenarioThatExpectsItsViolation) {
  for (std::string_view name : implemented_defect_names()) {
    const std::string file = std::string(SLUICE_SOURCE_DIR) + "/scenarios/defects/" + std::string(name) + ".json";
    Scenario scenario = load_scenario_file(file);
    EXPECT_FALSE(scenario.expect.violate.empty()) << file;
    Defects alone;
    ASSERT_TRUE(enable_defect(alone, name));
    EXPECT_TRUE(alone == scenario.defects) << file << " injects exactly " << name;
  }
}

TEST(Defects, UnknownOnesSuggestTheNearest) {
  try {
    load_scenario_text(R"({"name":"x","sources":[{"id":"s","node":"n","count":1,"arrival":{"dist":"constant","rate":1},"to":"d"}],
                           "sinks":[{"id":"d","node":"n"}],"defects":["ignore_credit"]})",
                       "inline.json");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'ignore_credits'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sluice
