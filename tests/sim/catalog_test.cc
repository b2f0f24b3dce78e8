// The invariant and fault-kind catalogs (sim/catalog/) are the one list of
// each: these tests pin their shape and show that every user of a list agrees
// with it (the judge, the defects, the writer and the reader of each kind).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "core/model/defects.h"
#include "sim/catalog/fault_kind_catalog.h"
#include "sim/catalog/invariant_catalog.h"
#include "sim/run/expectations.h"
#include "sim/run/fault_fields.h"
#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

TEST(InvariantCatalog, ListsEachIdOnceInDeclarationOrder) {
  const std::vector<InvariantInfo>& catalog = invariant_catalog();
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(catalog[i].id), i) << catalog[i].name;
    EXPECT_EQ(&invariant_info(catalog[i].id), &catalog[i]);
    EXPECT_EQ(find_invariant(catalog[i].name), &catalog[i]);
    EXPECT_EQ(invariant_rank(catalog[i].name), i);
    EXPECT_FALSE(catalog[i].description.empty()) << catalog[i].name;
  }
  EXPECT_EQ(find_invariant("no_los"), nullptr);
  EXPECT_EQ(invariant_rank("no_los"), catalog.size());
}

// README's Checkers section states each invariant in the catalog's own words.
TEST(InvariantCatalog, ReadmeStatesEachDescription) {
  std::ifstream in(std::string(SLUICE_SOURCE_DIR) + "/README.md");
  const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(readme.empty());
  for (const InvariantInfo& info : invariant_catalog()) {
    const std::string line = "- `" + std::string(info.name) + "`: " + std::string(info.description) + "\n";
    EXPECT_NE(readme.find(line), std::string::npos) << "README.md lacks the line:\n" << line;
  }
}

TEST(InvariantCatalog, EveryImplementedDefectTripsSomeInvariant) {
  for (std::string_view defect : implemented_defect_names()) {
    const bool listed = std::any_of(invariant_catalog().begin(), invariant_catalog().end(), [&](const InvariantInfo& i) {
      return std::find(i.defects.begin(), i.defects.end(), defect) != i.defects.end();
    });
    EXPECT_TRUE(listed) << defect << " is tripped by no invariant in the catalog";
  }
  for (const InvariantInfo& info : invariant_catalog()) {
    for (std::string_view defect : info.defects) {
      Defects defects;
      EXPECT_TRUE(enable_defect(defects, defect)) << info.name << " lists an unknown defect " << defect;
    }
  }
}

TEST(InvariantCatalog, EveryRunJudgesEveryInvariantInCatalogOrder) {
  const Scenario scenario = load_scenario_file(std::string(SLUICE_SOURCE_DIR) + "/scenarios/basics/mm1.json");
  const RunReport report = run_scenario(scenario, RunOptions{});
  ASSERT_EQ(report.invariants.size(), invariant_catalog().size());
  for (std::size_t i = 0; i < report.invariants.size(); ++i) {
    EXPECT_EQ(report.invariants[i].first, invariant_catalog()[i].name);
  }
}

TEST(Expectations, OnAnInvariantThatWasNotJudgedFail) {
  ExpectSpec expect;
  expect.hold = {"no_loss", "per_key_order"};
  expect.violate = {"bounded_queues"};
  Verdict held;
  held.checked = 1;
  Verdict broken = held;
  broken.violate("over capacity");
  // per_key_order is expected to hold but was not judged: that must not pass.
  const std::vector<std::pair<std::string, Verdict>> judged = {{"no_loss", held}, {"bounded_queues", broken}};
  const std::vector<std::string> failures = expectation_failures(expect, RunOutcome::quiescent, "", judged);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0], "per_key_order was expected to hold but was not judged");
  EXPECT_EQ(expectation_failures(expect, RunOutcome::quiescent, "", {{"no_loss", held}, {"bounded_queues", held}}),
            (std::vector<std::string>{"bounded_queues was expected to be violated but held",
                                      "per_key_order was expected to hold but was not judged"}));
  EXPECT_EQ(expectation_failures(expect, RunOutcome::quiescent, "", {}).size(), 3u)
      << "nothing judged: every expectation fails";
}

TEST(FaultKindCatalog, ListsEachKindOnceInDeclarationOrder) {
  const std::vector<FaultKindInfo>& catalog = fault_kind_catalog();
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(catalog[i].kind), i) << catalog[i].name;
    EXPECT_EQ(fault_kind_from_name(catalog[i].name), catalog[i].kind);
    EXPECT_EQ(std::string(fault_kind_name(catalog[i].kind)), catalog[i].name);
    EXPECT_FALSE(catalog[i].label.empty());
  }
  EXPECT_FALSE(fault_kind_from_name("kill").has_value());
}

// A fault of each kind, drawn as the swarm draws it, written as the shrinker
// writes it and loaded back: the writer and the reader agree on every field.
TEST(FaultKindCatalog, EveryKindRoundTripsThroughTheScenarioFormat) {
  const std::vector<std::string> nodes = {"a", "b", "c"};
  for (const FaultKindInfo& info : fault_kind_catalog()) {
    SCOPED_TRACE(std::string(info.name));
    SwarmSpec swarm;
    swarm.kinds = {info.kind};
    swarm.rate_per_s = 5;
    const std::vector<FaultSpec> drawn = draw_swarm(swarm, 10 * kNanosPerSecond, nodes, 7);
    ASSERT_FALSE(drawn.empty());
    const FaultSpec& fault = drawn.front();
    nlohmann::json doc = {
        {"name", "round-trip"},
        {"sources", {{{"id", "s"}, {"node", "a"}, {"count", 1}, {"arrival", {{"dist", "constant"}, {"rate", 1}}},
                      {"to", "q"}}}},
        {"buffers", {{{"id", "q"}, {"node", "b"}, {"capacity", 4}}}},
        {"stages", {{{"id", "w"}, {"from", "q"}, {"workers", {"c"}},
                     {"service_time", {{"dist", "constant"}, {"value", "1ms"}}}, {"to", "d"}}}},
        {"sinks", {{{"id", "d"}, {"node", "c"}}}},
        {"faults", {fault_scenario_json(fault)}}};
    const Scenario loaded = load_scenario_text(doc.dump(), "round_trip.json");
    ASSERT_EQ(loaded.faults.size(), 1u);
    const FaultSpec& back = loaded.faults[0];
    EXPECT_EQ(back.kind, fault.kind);
    EXPECT_EQ(back.at, fault.at);
    EXPECT_EQ(back.target, fault.target);
    EXPECT_EQ(back.lasts(), fault.lasts());
    EXPECT_EQ(back.point, fault.point);
    EXPECT_EQ(back.factor, fault.factor);
    EXPECT_EQ(back.offset, fault.offset);
    EXPECT_EQ(back.groups, fault.groups);
    EXPECT_EQ(back.from, fault.from);
    EXPECT_EQ(back.to, fault.to);
  }
}

}  // namespace
}  // namespace sluice
