// Where a perturbation site fired is in series.json's marks ("perturbed",
// part "SITE on NODE"), one per firing while under the marks budget, so the
// report and sluice-viz can mark the moment; a run with perturbation off
// has none.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>

#include "sim/runtime/perturbation.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

using testing::shipped;

std::map<std::string, std::uint64_t> marks_by_site(const RunReport& report) {
  std::map<std::string, std::uint64_t> out;
  for (const nlohmann::json& m : report.series["marks"]) {
    if (m["kind"] != "perturbed") continue;
    const std::string part = m["part"].get<std::string>();
    const std::size_t on = part.find(" on ");
    EXPECT_NE(on, std::string::npos) << part << ": the mark names the site and its node";
    ++out[part.substr(0, on)];
  }
  return out;
}

TEST(PerturbationMarks, OneMarkPerFiringNamingSiteAndNode) {
  PerturbSpec spec = PerturbSpec::all();
  spec.enable_probability = 1;
  RunOptions options;
  options.seed = 1;
  options.perturb = spec;
  const RunReport report = run_scenario(shipped("guarantees/sweep_at_least_once.json"), options);
  const std::map<std::string, std::uint64_t> marks = marks_by_site(report);
  std::uint64_t fired_total = 0;
  for (const auto& [site, count] : report.summary["perturbation"]["fired"].items()) {
    const std::uint64_t fired = count.get<std::uint64_t>();
    fired_total += fired;
    const auto it = marks.find(site);
    EXPECT_EQ(it == marks.end() ? 0 : it->second, fired) << site;
  }
  EXPECT_GT(fired_total, 0u);
  EXPECT_LE(fired_total, 2000u) << "over the marks budget: the counts above would not match";
}

TEST(PerturbationMarks, NoneWhenOff) {
  RunOptions options;
  options.seed = 1;
  const RunReport report = run_scenario(shipped("guarantees/sweep_at_least_once.json"), options);
  EXPECT_TRUE(marks_by_site(report).empty());
  EXPECT_FALSE(report.summary.contains("perturbation"));
}

}  // namespace
}  // namespace sluice
