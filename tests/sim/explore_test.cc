// Coverage and guided exploration: coverage names situations from the one
// table and never changes a run; the guided explorer is deterministic, does
// not depend on --jobs, grows coverage, and a failure it finds reruns exactly
// from the scenario file it describes.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>

#include "core/random/rng.h"
#include "sim/explore/candidate.h"
#include "sim/coverage/coverage_kinds.h"
#include "sim/scenario/defect_injection.h"
#include "sim/explore/guided.h"
#include "sim/explore/mutation.h"
#include "sim/scenario/json_reader.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

using testing::shipped;

std::string path_of(const std::string& relative) { return std::string(SLUICE_SOURCE_DIR) + "/scenarios/" + relative; }

std::set<std::string> keys_of(const RunReport& report) {
  std::set<std::string> keys;
  for (const nlohmann::json& key : report.summary["coverage"]) keys.insert(key.get<std::string>());
  return keys;
}

RunReport run_at(const Scenario& scenario, std::uint64_t seed) {
  RunOptions options;
  options.seed = seed;
  return run_scenario(scenario, options);
}

TEST(Coverage, EveryKeyIsASituationOfTheTable) {
  const std::vector<std::string> universe = coverage_universe();
  const std::set<std::string> known(universe.begin(), universe.end());
  RunReport report = run_at(shipped("guarantees/sweep_at_least_once.json"), 3);
  const std::set<std::string> keys = keys_of(report);
  ASSERT_FALSE(keys.empty());
  for (const std::string& key : keys) EXPECT_TRUE(known.contains(coverage_situation(key))) << key;
}

TEST(Coverage, SeesFaultsAtTheirStateAndRoleAndFillBands) {
  RunReport report = run_at(shipped("guarantees/sweep_at_least_once.json"), 3);
  ASSERT_FALSE(report.summary["faults"].empty()) << "seed 3 must draw faults for this test to mean anything";
  const std::set<std::string> keys = keys_of(report);
  auto any_prefix = [&](const std::string& prefix) {
    return std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return k.starts_with(prefix); });
  };
  EXPECT_TRUE(any_prefix("fault_state:")) << report.summary["coverage"].dump();
  EXPECT_TRUE(any_prefix("fault_role:")) << report.summary["coverage"].dump();
  EXPECT_TRUE(any_prefix("generation:")) << report.summary["coverage"].dump();
  // A buffer pipeline fills its buffer: sweep-bench's ingest buffer under faults.
  RunReport buffered = run_at(shipped("basics/slow_consumer.json"), 1);
  const std::set<std::string> buffered_keys = keys_of(buffered);
  EXPECT_TRUE(std::any_of(buffered_keys.begin(), buffered_keys.end(),
                          [](const std::string& k) { return k.starts_with("fill:25@"); }))
      << buffered.summary["coverage"].dump();
}

TEST(Coverage, DiffersBetweenRunsThatDoDifferentThings) {
  const Scenario scenario = shipped("guarantees/sweep_at_least_once.json");
  std::set<std::set<std::string>> distinct;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) distinct.insert(keys_of(run_at(scenario, seed)));
  EXPECT_GT(distinct.size(), 1u) << "coverage that is the same for every seed cannot guide anything";
}

TEST(Coverage, NeverChangesTheRun) {
  // Coverage is gathered on the side: the same seed gives the golden hash it always did,
  // and a run twice gives the same keys.
  const Scenario scenario = shipped("guarantees/sweep_at_least_once.json");
  RunReport a = run_at(scenario, 2), b = run_at(scenario, 2);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.summary["coverage"], b.summary["coverage"]);
}

TEST(DefectInjection, NamesAreCheckedAndRecorded) {
  std::vector<std::string> names;
  std::string why;
  EXPECT_FALSE(parse_defect_list("skip_dedupe", &names, &why));
  EXPECT_NE(why.find("did you mean 'skip_dedup'"), std::string::npos) << why;
  names.clear();
  EXPECT_FALSE(parse_defect_list("skip_dedup,", &names, &why));
  names.clear();
  ASSERT_TRUE(parse_defect_list("skip_dedup,no_fencing", &names, &why)) << why;
  Scenario scenario = shipped("guarantees/sweep_at_least_once.json");
  inject_defects(scenario, names);
  EXPECT_TRUE(scenario.defects.skip_dedup);
  EXPECT_TRUE(scenario.defects.no_fencing);
  RunReport report = run_at(scenario, 1);
  EXPECT_EQ(report.summary["defects_injected"], nlohmann::json({"skip_dedup", "no_fencing"}));
  EXPECT_NE(report.summary["repro"].get<std::string>().find(" --defect skip_dedup,no_fencing"), std::string::npos);
}

TEST(Mutation, KeepsTheScheduleWithinTheScenarioAndIsDeterministic) {
  const Scenario scenario = shipped("guarantees/sweep_at_least_once.json");
  const Candidate parent = fresh_candidate(scenario, 5, scenario.strategy, scenario.perturb);
  Rng a(9), b(9);
  for (int i = 0; i < 20; ++i) {
    Candidate x = mutate(scenario, parent, nullptr, a), y = mutate(scenario, parent, nullptr, b);
    EXPECT_EQ(x.mutations, y.mutations);
    EXPECT_EQ(x.seed, y.seed);
    ASSERT_EQ(x.faults.size(), y.faults.size());
    // Every mutant is a valid scenario: the loader accepts it.
    nlohmann::json document = parse_json_file(path_of("guarantees/sweep_at_least_once.json"));
    EXPECT_NO_THROW(load_scenario_json(candidate_scenario_json(document, x), "mutant")) << x.mutations.size();
  }
}

bool same_fault(const FaultSpec& a, const FaultSpec& b) {
  return a.at == b.at && a.kind == b.kind && a.target == b.target && a.groups == b.groups && a.lasts() == b.lasts();
}

bool has_fault(const std::vector<FaultSpec>& faults, const FaultSpec& f) {
  return std::any_of(faults.begin(), faults.end(), [&](const FaultSpec& g) { return same_fault(f, g); });
}

// The mutants of `parent` (with `mate` for a splice) over `tries` draws from
// Rng(rng_seed) whose only edit was `edit`.
std::vector<Candidate> mutants_by(const Scenario& scenario, const Candidate& parent, const Candidate* mate,
                                  std::uint64_t rng_seed, const std::string& edit, int tries = 300) {
  Rng rng(rng_seed);
  std::vector<Candidate> out;
  for (int i = 0; i < tries; ++i) {
    Candidate child = mutate(scenario, parent, mate, rng);
    if (child.mutations == std::vector<std::string>{edit}) out.push_back(std::move(child));
  }
  return out;
}

TEST(Mutation, SpliceTakesTheParentsScheduleBeforeACutAndTheMatesAfterIt) {
  const Scenario scenario = shipped("guarantees/sweep_exactly_once.json");
  const Candidate parent = fresh_candidate(scenario, 5, scenario.strategy, scenario.perturb);
  const Candidate mate = fresh_candidate(scenario, 6, scenario.strategy, scenario.perturb);
  ASSERT_FALSE(parent.faults.empty());
  ASSERT_FALSE(mate.faults.empty());
  const std::vector<Candidate> spliced = mutants_by(scenario, parent, &mate, 3, "splice", 200);
  for (const Candidate& child : spliced) {
    // Some cut time t: the parent's faults before t (a prefix in time) and the mate's from t on, nothing else.
    Nanos kept_until = -1, dropped_from = kNever, mate_from = kNever;
    for (const FaultSpec& f : child.faults) {
      EXPECT_TRUE(has_fault(parent.faults, f) || has_fault(mate.faults, f));
      if (has_fault(parent.faults, f)) kept_until = std::max(kept_until, f.at);
      else mate_from = std::min(mate_from, f.at);
    }
    for (const FaultSpec& f : parent.faults) {
      if (!has_fault(child.faults, f)) dropped_from = std::min(dropped_from, f.at);
    }
    EXPECT_LT(kept_until, dropped_from);
    EXPECT_LE(kept_until, mate_from);
  }
  EXPECT_FALSE(spliced.empty());
  // Without a mate there is no splice.
  Rng alone(3);
  for (int i = 0; i < 200; ++i) {
    const Candidate child = mutate(scenario, parent, nullptr, alone);
    EXPECT_EQ(std::count(child.mutations.begin(), child.mutations.end(), "splice"), 0);
  }
}

TEST(Mutation, NearAddsOneFaultWithinASecondOfWhereAParentFaultBeginsOrEnds) {
  const Scenario scenario = shipped("guarantees/sweep_exactly_once.json");
  const Candidate parent = fresh_candidate(scenario, 5, scenario.strategy, scenario.perturb);
  const std::vector<Candidate> nears = mutants_by(scenario, parent, nullptr, 4, "near", 200);
  for (const Candidate& child : nears) {
    ASSERT_EQ(child.faults.size(), parent.faults.size() + 1);
    for (const FaultSpec& f : child.faults) {
      if (has_fault(parent.faults, f)) continue;
      const bool close = std::any_of(parent.faults.begin(), parent.faults.end(), [&](const FaultSpec& p) {
        auto within = [&](Nanos t) { return f.at == 0 || (f.at >= t - kNanosPerSecond && f.at <= t + kNanosPerSecond); };
        return within(p.at) || (p.lasts() != kNever && within(p.at + p.lasts()));
      });
      EXPECT_TRUE(close) << f.at;
    }
  }
  EXPECT_FALSE(nears.empty());
}

TEST(Mutation, StretchLengthensOneEndingFaultKeepingItsStart) {
  const Scenario scenario = shipped("guarantees/sweep_exactly_once.json");
  const Candidate parent = fresh_candidate(scenario, 5, scenario.strategy, scenario.perturb);
  const std::vector<Candidate> stretched = mutants_by(scenario, parent, nullptr, 5, "stretch");
  for (const Candidate& child : stretched) {
    ASSERT_EQ(child.faults.size(), parent.faults.size());
    int changed = 0;
    for (std::size_t k = 0; k < child.faults.size(); ++k) {
      const FaultSpec& before = parent.faults[k];
      const FaultSpec& after = child.faults[k];
      EXPECT_EQ(after.at, before.at);
      EXPECT_EQ(after.target, before.target);
      if (after.lasts() == before.lasts()) continue;
      ++changed;
      EXPECT_GE(after.lasts(), before.lasts() + before.lasts() / 2);
      EXPECT_LE(after.lasts(), before.lasts() * 3);
    }
    EXPECT_EQ(changed, 1);
  }
  EXPECT_FALSE(stretched.empty());
}

ExploreResult explore(const std::string& relative, std::uint64_t runs, unsigned jobs, const std::vector<std::string>& defects,
                      bool keep_going = false) {
  nlohmann::json document = parse_json_file(path_of(relative));
  for (const std::string& d : defects) document["defects"].push_back(d);
  const Scenario scenario = load_scenario_json(document, relative);
  ExploreOptions options;
  options.runs = runs;
  options.jobs = jobs;
  options.explore_seed = 7;
  options.keep_going = keep_going;
  options.strategy = scenario.strategy;
  options.perturb = scenario.perturb;
  return explore_guided(document, scenario, options);
}

TEST(GuidedExplore, IsTheSameWhateverTheJobs) {
  ExploreResult one = explore("guarantees/sweep_at_least_once.json", 12, 1, {});
  ExploreResult two = explore("guarantees/sweep_at_least_once.json", 12, 2, {});
  ASSERT_EQ(one.runs.size(), 12u);
  ASSERT_EQ(two.runs.size(), 12u);
  for (std::size_t i = 0; i < one.runs.size(); ++i) {
    EXPECT_EQ(one.runs[i].candidate.seed, two.runs[i].candidate.seed) << i;
    EXPECT_EQ(one.runs[i].coverage, two.runs[i].coverage) << i;
    EXPECT_EQ(one.runs[i].candidate.mutations, two.runs[i].candidate.mutations) << i;
  }
  EXPECT_EQ(one.corpus, two.corpus);
  // The second generation mutates the corpus the first one built.
  EXPECT_TRUE(std::any_of(one.runs.begin() + 8, one.runs.end(), [](const ExploreRun& r) { return r.candidate.parent > 0; }));
  // Coverage only grows, and the first run is always kept.
  EXPECT_TRUE(one.runs.front().kept);
  for (std::size_t i = 1; i < one.runs.size(); ++i) EXPECT_GE(one.runs[i].total_keys, one.runs[i - 1].total_keys);
}

TEST(GuidedExplore, StopsAtAFailureThatItsScenarioFileReproduces) {
  // commit_before_process loses records when a worker crashes after committing:
  // the swarm's crashes find it within a few dozen runs.
  const std::string relative = "guarantees/sweep_at_least_once.json";
  ExploreResult result = explore(relative, 64, 2, {"commit_before_process"});
  ASSERT_GT(result.first_failure, 0) << "no failure in 64 runs";
  // Stopping early (no later candidate starts) must not depend on the jobs either.
  ExploreResult alone = explore(relative, 64, 1, {"commit_before_process"});
  EXPECT_EQ(alone.first_failure, result.first_failure);
  EXPECT_EQ(alone.runs.back().candidate.seed, result.runs.back().candidate.seed);
  EXPECT_EQ(result.runs.size(), static_cast<std::size_t>(result.first_failure));
  const ExploreRun& failing = result.runs.back();
  nlohmann::json document = parse_json_file(path_of(relative));
  document["defects"].push_back("commit_before_process");
  const Scenario rerun = load_scenario_json(candidate_scenario_json(document, failing.candidate), "repro");
  RunReport report = run_at(rerun, failing.candidate.seed);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.events, failing.events) << "the repro file must rerun the very same run";
}

TEST(GuidedExplore, HealthyScenarioRunsToTheCapWithoutFailing) {
  ExploreResult result = explore("guarantees/sweep_at_least_once.json", 16, 2, {});
  EXPECT_EQ(result.first_failure, -1);
  EXPECT_EQ(result.runs.size(), 16u);
  EXPECT_FALSE(result.corpus.empty());
}

}  // namespace
}  // namespace sluice
