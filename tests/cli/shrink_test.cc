// sluice shrink: a swarm failure shrinks to a smaller scenario that fails the
// same way on its own; a passing seed and bad input are told apart by status.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/run/runner.h"
#include "tests/cli/cli_support.h"
#include "sim/run/shrink.h"
#include "sim/run/shrink_edits.h"
#include "sim/run/sweep.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

// The swarm scenario claiming no_loss holds, made smaller so that a shrink
// takes well under a second: seeds whose swarm crashes a busy node fail.
nlohmann::json lossy_swarm() {
  std::ifstream in(std::string(SLUICE_SOURCE_DIR) + "/scenarios/faults/swarm.json");
  nlohmann::json scenario = nlohmann::json::parse(in);
  scenario.erase("$schema");
  scenario["name"] = "lossy-swarm";
  scenario["sources"][0]["count"] = 3000;
  scenario["expect"]["hold"].push_back("no_loss");
  return scenario;
}

struct Outcome {
  bool ok = false;
  std::string no_loss_first;  // empty when no_loss held
  ShrinkFigures figures;
};

Outcome run_in_process(const nlohmann::json& document, std::uint64_t seed) {
  Scenario scenario = load_scenario_json(document, "lossy_swarm.json");
  RunOptions options;
  options.seed = seed;
  RunReport report = run_scenario(scenario, options);
  Outcome outcome;
  outcome.ok = report.ok;
  for (const auto& [name, verdict] : report.invariants) {
    if (name == "no_loss" && !verdict.ok()) outcome.no_loss_first = verdict.first;
  }
  for (const SourceSpec& source : scenario.sources) outcome.figures.source_events += source.count;
  outcome.figures.virtual_time = report.virtual_time;
  outcome.figures.scheduler_events = report.events;
  return outcome;
}

class Shrink : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-shrink-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    document_ = lossy_swarm();
    file_ = (dir_ / "lossy_swarm.json").string();
    std::ofstream(file_) << document_.dump(2);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The first seed in 1..40 where `lossy` is what fails (no_loss broke), or the first that passes.
  std::optional<std::uint64_t> find_seed(bool lossy) {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      Outcome outcome = run_in_process(document_, seed);
      if (lossy ? !outcome.no_loss_first.empty() : outcome.ok) return seed;
    }
    return std::nullopt;
  }

  fs::path dir_;
  nlohmann::json document_;
  std::string file_;
};

TEST_F(Shrink, ASwarmFailureShrinksToAFileThatFailsTheSameWayOnItsOwn) {
  std::optional<std::uint64_t> seed = find_seed(true);
  ASSERT_TRUE(seed) << "no seed in 1..40 loses an event";
  const std::string n = std::to_string(*seed);
  Outcome original = run_in_process(document_, *seed);
  Scenario loaded = load_scenario_json(document_, file_);
  const std::size_t drawn = draw_swarm(*loaded.swarm, loaded.run.faults_end, loaded.nodes(), *seed).size();

  const fs::path out = dir_ / "shrunk.json";
  std::string output;
  ASSERT_EQ(sluice("shrink " + file_ + " --seed " + n + " --out " + out.string() + " --max-runs 200", &output), 0)
      << output;
  EXPECT_NE(output.find("repro: sluice run " + out.string() + " --seed " + n), std::string::npos) << output;

  // It loads, and is smaller: the swarm became a few explicit faults.
  nlohmann::json shrunk = read_json(out);
  Scenario scenario = load_scenario_file(out.string());
  EXPECT_EQ(shrunk["name"], "lossy-swarm-shrunk");
  EXPECT_EQ(shrunk["seed"], *seed);
  EXPECT_FALSE(shrunk.contains("swarm"));
  EXPECT_LT(scenario.faults.size(), drawn);
  std::uint64_t events = 0;
  for (const SourceSpec& source : scenario.sources) events += source.count;
  EXPECT_LE(events, original.figures.source_events);

  // Run on its own, it fails the same way: no_loss, with the same shape.
  const fs::path run_dir = dir_ / "run";
  ASSERT_EQ(sluice("run " + out.string() + " --seed " + n + " --out " + run_dir.string(), &output), 1) << output;
  nlohmann::json summary = read_json(run_dir / "summary.json");
  ASSERT_FALSE(summary["invariants"]["no_loss"]["ok"].get<bool>());
  EXPECT_EQ(failure_signature("no_loss", summary["invariants"]["no_loss"]["first"]["text"].get<std::string>()),
            failure_signature("no_loss", original.no_loss_first));
  EXPECT_LT(summary["events"].get<std::uint64_t>(), original.figures.scheduler_events);
  // The seed is in the file, so the plain command reproduces it too.
  EXPECT_EQ(sluice("run " + out.string() + " --out " + (dir_ / "run2").string()), 1);
}

TEST_F(Shrink, TheEngineClassifiesAsSweepDoesAndKeepsTheSwarmsRun) {
  std::optional<std::uint64_t> seed = find_seed(true);
  ASSERT_TRUE(seed);
  ShrinkOptions options;
  options.max_runs = 200;
  std::size_t progress_calls = 0;
  options.on_progress = [&](const ShrinkProgress& p) {
    ++progress_calls;
    EXPECT_LE(p.runs, p.max_runs);
  };
  ShrinkResult result = shrink_scenario(document_, file_, *seed, options);
  ASSERT_TRUE(result.reproduced);
  EXPECT_GT(progress_calls, 0u);
  EXPECT_LE(result.runs, options.max_runs + 1);  // the final check of the result may go one over

  SweepOptions sweep;
  sweep.seeds = {*seed};
  std::vector<FailureGroup> groups = group_failures(run_sweep(load_scenario_json(document_, file_), sweep));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(result.failure.signature, groups[0].signature);
  EXPECT_EQ(result.failure.invariant, "no_loss");

  // Replacing the swarm by the faults it drew is the very same run.
  bool replaced = false;
  for (const std::string& step : result.steps) {
    if (step.rfind("/swarm:", 0) == 0) {
      replaced = true;
      EXPECT_NE(step.find("(same trace_hash)"), std::string::npos) << step;
    }
  }
  EXPECT_TRUE(replaced);
  EXPECT_LT(result.after.faults, result.before.faults);
  EXPECT_LE(result.after.source_events, result.before.source_events);
  EXPECT_LT(result.after.scheduler_events, result.before.scheduler_events);

  // The result's figures are those of running it, and running it is deterministic.
  RunOptions run;
  run.seed = *seed;
  RunReport again = run_scenario(load_scenario_json(result.scenario, "shrunk"), run);
  EXPECT_EQ(hex64(again.trace_hash), result.after.trace_hash);
  EXPECT_FALSE(again.ok);
}

TEST_F(Shrink, AnExhaustedBudgetStillWritesWhatItFound) {
  std::optional<std::uint64_t> seed = find_seed(true);
  ASSERT_TRUE(seed);
  const fs::path out = dir_ / "partial.json";
  std::string output;
  ASSERT_EQ(sluice("shrink " + file_ + " --seed " + std::to_string(*seed) + " --max-runs 4 --out " + out.string(),
                   &output),
            0)
      << output;
  EXPECT_NE(output.find("the budget ran out"), std::string::npos) << output;
  EXPECT_EQ(sluice("run " + out.string() + " --out " + (dir_ / "run").string()), 1);
}

TEST_F(Shrink, SwarmFaultsWrittenOutReadBackExactly) {
  Scenario loaded = load_scenario_json(document_, file_);
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    std::vector<FaultSpec> drawn = draw_swarm(*loaded.swarm, loaded.run.faults_end, loaded.nodes(), seed);
    Scenario explicit_faults = load_scenario_json(with_swarm_replaced(document_, drawn), file_);
    EXPECT_FALSE(explicit_faults.swarm.has_value());
    ASSERT_EQ(explicit_faults.faults.size(), drawn.size());
    for (std::size_t i = 0; i < drawn.size(); ++i) {
      const FaultSpec &a = drawn[i], &b = explicit_faults.faults[i];
      EXPECT_EQ(a.at, b.at);
      EXPECT_EQ(a.kind, b.kind);
      EXPECT_EQ(a.target, b.target);
      EXPECT_EQ(a.duration, b.duration);
      EXPECT_EQ(a.restart_after, b.restart_after);
      EXPECT_EQ(a.factor, b.factor);
      EXPECT_EQ(a.offset, b.offset);
    }
  }
}

TEST_F(Shrink, ASeedThatDoesNotFailHasNothingToShrink) {
  std::optional<std::uint64_t> seed = find_seed(false);
  ASSERT_TRUE(seed) << "every seed in 1..40 fails";
  const fs::path out = dir_ / "nothing.json";
  std::string output;
  EXPECT_EQ(sluice("shrink " + file_ + " --seed " + std::to_string(*seed) + " --out " + out.string(), &output), 1);
  EXPECT_NE(output.find("does not fail"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(Shrink, BadArgumentsAndBadScenariosExitTwo) {
  std::string output;
  EXPECT_EQ(sluice("shrink " + file_, &output), 2);  // --seed is required
  EXPECT_NE(output.find("--seed"), std::string::npos) << output;
  EXPECT_EQ(sluice("shrink " + file_ + " --seed x", &output), 2);
  EXPECT_EQ(sluice("shrink " + file_ + " --seed 1 --max-runs 0", &output), 2);
  EXPECT_EQ(sluice("shrink " + file_ + " --seed 1 --max-time soon", &output), 2);
  EXPECT_EQ(sluice("shrink " + file_ + " --seed 1 --bogus", &output), 2);
  EXPECT_NE(output.find("unknown option --bogus"), std::string::npos) << output;
  EXPECT_EQ(sluice("shrink --seed 1", &output), 2);
  EXPECT_EQ(sluice("shrink " + (dir_ / "missing.json").string() + " --seed 1", &output), 2);

  nlohmann::json typo = document_;
  typo["sources"][0]["cuont"] = 5;
  const fs::path bad = dir_ / "typo.json";
  std::ofstream(bad) << typo.dump(2);
  EXPECT_EQ(sluice("shrink " + bad.string() + " --seed 1", &output), 2);
  EXPECT_NE(output.find("/sources/0/cuont"), std::string::npos) << output;
}

}  // namespace
}  // namespace sluice
