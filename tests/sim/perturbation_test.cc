// Perturbation sites (BUGGIFY): off changes nothing, on is deterministic,
// every site fires somewhere, a healthy pipeline survives every site, and
// the sites expose a defect that plain seeds of the same world never show.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "sim/runtime/perturbation.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

using testing::shipped;

PerturbSpec every_site_on() {
  PerturbSpec spec = PerturbSpec::all();
  spec.enable_probability = 1;
  return spec;
}

RunReport run_with(const Scenario& scenario, std::uint64_t seed, std::optional<PerturbSpec> perturb) {
  RunOptions options;
  options.seed = seed;
  options.perturb = std::move(perturb);
  return run_scenario(scenario, options);
}

TEST(PerturbationSites, TheTableNamesEachSiteOnceAndFindsItByName) {
  std::set<std::string_view> names;
  for (const PerturbSiteInfo& info : kPerturbSites) {
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_EQ(find_perturb_site(info.name), info.site);
    EXPECT_FALSE(info.forces.empty());
    EXPECT_FALSE(info.legal.empty());
  }
  EXPECT_FALSE(find_perturb_site("no_such_site").has_value());
}

// The README's table of sites is this table, row for row.
TEST(PerturbationSites, TheReadmeTableIsTheTable) {
  std::ifstream in(std::string(SLUICE_SOURCE_DIR) + "/README.md");
  std::stringstream readme;
  readme << in.rdbuf();
  const std::string text = readme.str();
  std::string rows;
  for (const PerturbSiteInfo& info : kPerturbSites) {
    rows += "| `" + std::string(info.name) + "` | " + std::string(info.component) + " | " + std::string(info.forces) +
            " | " + perturb_site_rate(info) + " | " + std::string(info.legal) + " |\n";
  }
  EXPECT_NE(text.find("|---|---|---|---|---|\n" + rows + "\n"), std::string::npos)
      << "README.md's table of perturbation sites should read exactly:\n" << rows;
}

TEST(PerturbationSites, OffNeverFiresAndAnEnabledOnceSiteFiresAtMostOnce) {
  const Rng root(7);
  Perturbation off(PerturbSpec{}, root);
  PerturbSpec always = every_site_on();
  always.fire_probability = 1;
  Perturbation on(always, root);
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(off.fire(PerturbSite::fetch_short));
    EXPECT_TRUE(on.fire(PerturbSite::fetch_short));
    on.fire(PerturbSite::fsync_slow_once);
  }
  EXPECT_EQ(on.fired(PerturbSite::fetch_short), 10u);
  EXPECT_EQ(on.fired(PerturbSite::fsync_slow_once), 1u);
  EXPECT_EQ(on.enabled_names().size(), kPerturbSiteCount);
}

TEST(PerturbationSites, EnablingDependsOnTheSeedAndNotOnTheOtherCandidates) {
  PerturbSpec all = PerturbSpec::all();
  PerturbSpec two;
  two.sites = {PerturbSite::heartbeat_delayed, PerturbSite::produce_ack_lost};
  std::set<std::vector<std::string>> subsets;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const Rng root(seed);
    Perturbation a(all, root), b(two, root);
    subsets.insert(a.enabled_names());
    for (PerturbSite site : two.sites) EXPECT_EQ(a.enabled(site), b.enabled(site)) << "seed " << seed;
    EXPECT_FALSE(b.enabled(PerturbSite::fetch_short));
  }
  EXPECT_GT(subsets.size(), 10u) << "each seed should enable its own subset";
}

// Nothing enabled (probability 0) draws only from the "buggify" streams, so
// the run is the run without perturbation, bit for bit; the golden hashes
// (golden_hash_test.cc) pin the scenarios without any.
TEST(PerturbationSites, NoEnabledSiteLeavesTheRunUnchanged) {
  const Scenario scenario = shipped("guarantees/sweep_at_least_once.json");
  PerturbSpec none = PerturbSpec::all();
  none.enable_probability = 0;
  EXPECT_EQ(run_with(scenario, 3, std::nullopt).trace_hash, run_with(scenario, 3, none).trace_hash);
}

TEST(PerturbationSites, SameScenarioSeedAndSitesGiveTheSameRun) {
  const Scenario scenario = shipped("guarantees/sweep_at_least_once.json");
  const RunReport a = run_with(scenario, 5, every_site_on());
  const RunReport b = run_with(scenario, 5, every_site_on());
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.summary["perturbation"], b.summary["perturbation"]);
  EXPECT_NE(a.trace_hash, run_with(scenario, 5, std::nullopt).trace_hash);
  EXPECT_FALSE(run_with(scenario, 5, std::nullopt).summary.contains("perturbation"));
}

// Each site fires (summary.json counts it) in a shipped scenario that reaches it.
TEST(PerturbationSites, EverySiteFiresInSomeShippedScenario) {
  std::map<std::string, std::uint64_t> fired;
  for (const char* path : {"guarantees/sweep_at_least_once.json", "guarantees/exactly_once.json"}) {
    const RunReport report = run_with(shipped(path), 1, every_site_on());
    for (const auto& [site, count] : report.summary["perturbation"]["fired"].items()) fired[site] += count.get<std::uint64_t>();
  }
  for (const PerturbSiteInfo& info : kPerturbSites) EXPECT_GT(fired[std::string(info.name)], 0u) << info.name;
  EXPECT_EQ(fired["fsync_slow_once"], 2u) << "once per run";
}

// The key property: the sites force only legal behaviour, so a healthy
// pipeline keeps every guarantee it claims with every site enabled. One
// shipped scenario per component: a buffer pipeline with a dedup sink on a
// lossy network, an idempotent producer through broker crashes (only the
// sites that scenario's claims leave room for: its plain sink is promised
// no lost replies), at-least-once and at-most-once groups and exactly-once
// checkpoints under swarm faults, and the transactional chain.
TEST(PerturbationSites, AHealthyPipelineKeepsEveryGuaranteeWithEverySiteOn) {
  struct Case {
    const char* path;
    std::uint64_t seeds;
    std::vector<PerturbSite> sites;  // empty: all
  };
  const std::vector<Case> cases = {
      {"guarantees/dedup_window_enough.json", 50, {}},
      {"guarantees/idempotent_producer.json", 50,
       {PerturbSite::fetch_short, PerturbSite::produce_ack_lost, PerturbSite::fsync_slow_once}},
      {"guarantees/sweep_at_least_once.json", 50, {}},
      {"guarantees/sweep_at_most_once.json", 50, {}},
      {"guarantees/sweep_exactly_once.json", 50, {}},
      {"guarantees/exactly_once_chain.json", 25, {}},
  };
  for (const Case& c : cases) {
    const Scenario scenario = shipped(c.path);
    PerturbSpec spec = every_site_on();
    if (!c.sites.empty()) spec.sites = c.sites;
    std::uint64_t fired = 0;
    for (std::uint64_t seed = 1; seed <= c.seeds; ++seed) {
      const RunReport report = run_with(scenario, seed, spec);
      for (const auto& [site, count] : report.summary["perturbation"]["fired"].items()) fired += count.get<std::uint64_t>();
      EXPECT_TRUE(report.ok) << c.path << " --seed " << seed << ": "
                             << (report.expectation_failures.empty() ? "" : report.expectation_failures.front());
    }
    EXPECT_GT(fired, 0u) << c.path << ": no site fired, so nothing was tested";
  }
}

// The sweep benchmark's pipeline (a serial writer whose every write is an
// rpc with a 1 s timeout) keeps its drain bound with every site on: the rpc
// site fires at a tenth of the others' rate, so its firings stay rare. At
// the full rate (fire_probability 0.5 here, so 0.05 after the tenth, the
// rate every site had before) the writer loses a second on one write in
// twenty and drains_after_heal breaks, naming the site and the stage.
TEST(PerturbationSites, TheSweepBenchDrainsWithEverySiteOnAndALateDrainNamesTheSite) {
  const Scenario scenario = shipped("bench/sweep.json");
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const RunReport report = run_with(scenario, seed, every_site_on());
    EXPECT_TRUE(report.ok) << "bench/sweep.json --seed " << seed << ": "
                           << (report.expectation_failures.empty() ? "" : report.expectation_failures.front());
  }
  PerturbSpec rpc_only;
  rpc_only.sites = {PerturbSite::rpc_spurious_timeout};
  rpc_only.enable_probability = 1;
  rpc_only.fire_probability = 0.5;
  const RunReport late = run_with(scenario, 1, rpc_only);
  ASSERT_FALSE(late.ok);
  const nlohmann::json& drain = late.summary["invariants"]["drains_after_heal"];
  const std::string first = drain["first"]["text"];
  EXPECT_NE(first.find("to drain after the sources finished and the faults healed"), std::string::npos) << first;
  EXPECT_NE(first.find("failed attempt(s) in stage 'store' (timeout "), std::string::npos) << first;
  EXPECT_NE(first.find("the perturbation site rpc_spurious_timeout fired "), std::string::npos) << first;
  EXPECT_FALSE(std::regex_search(first, std::regex("[0-9]ns"))) << "durations in words, not raw nanoseconds: " << first;
  const std::string why = drain["first"]["explanation"]["why"];
  EXPECT_NE(why.find("what cost it most: "), std::string::npos) << why;
}

// The skip_dedup defect's workload on a lossless network: nothing there
// retries a write that landed, so plain seeds never show the defect. With
// --perturb (each site enabled with probability 0.25 per seed) a spurious
// rpc timeout or a lost produce ack makes the retry, and no_duplicate_effects
// catches it. Fixed seeds, so the figures are exact (README, "Perturbation").
TEST(PerturbationSites, PerturbationFindsSkipDedupWherePlainSeedsDoNot) {
  Scenario scenario = shipped("defects/skip_dedup.json");
  scenario.network.defaults.drop = 0;
  scenario.network.defaults.duplicate = 0;
  auto found = [&](std::optional<PerturbSpec> perturb) {
    std::uint64_t seeds = 0;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) seeds += run_with(scenario, seed, perturb).ok ? 1 : 0;
    return seeds;
  };
  const std::uint64_t plain = found(std::nullopt), perturbed = found(PerturbSpec::all());
  std::printf("skip_dedup on a lossless network, seeds 1..40: found in %llu plain, %llu with --perturb\n",
              static_cast<unsigned long long>(plain), static_cast<unsigned long long>(perturbed));
  EXPECT_EQ(plain, 0u);
  EXPECT_GE(perturbed, 5u);
}

// The duplicate's explanation names the site that made the retry, not a
// network fault that was not there.
TEST(PerturbationSites, TheDuplicateExplanationNamesTheSiteThatFired) {
  Scenario scenario = shipped("defects/skip_dedup.json");
  scenario.network.defaults.drop = 0;
  scenario.network.defaults.duplicate = 0;
  const RunReport report = run_with(scenario, 6, PerturbSpec::all());
  ASSERT_TRUE(report.ok) << "seed 6 finds the defect under perturbation";
  const nlohmann::json& first = report.summary["invariants"]["no_duplicate_effects"]["first"];
  const std::string why = first["explanation"]["why"];
  EXPECT_NE(why.find("the perturbation site rpc_spurious_timeout fired on worker node"), std::string::npos) << why;
  EXPECT_NE(first["explanation"]["steps"].dump().find("\"kind\":\"perturbed\""), std::string::npos) << first.dump();
}

}  // namespace
}  // namespace sluice
