// Every run ends with a verdict: the scenarios of scenarios/liveness/ each
// end within seconds of wall time with the verdict they expect, and the
// explanation names the mechanism. Budgets end runs that would not end.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

Scenario liveness(const std::string& file) {
  return load_scenario_file(std::string(SLUICE_SOURCE_DIR) + "/scenarios/liveness/" + file);
}

const Verdict& verdict(const RunReport& report, const std::string& name) {
  for (const auto& [n, v] : report.invariants) {
    if (n == name) return v;
  }
  throw std::logic_error(name);
}

std::string explanation(const Verdict& v) {
  std::string out = v.first;
  for (const std::string& line : v.context) out += "\n" + line;
  return out;
}

struct Timed {
  RunReport report;
  double wall_s;
};

Timed run_timed(const Scenario& scenario, const RunOptions& options = {}) {
  const auto start = std::chrono::steady_clock::now();
  RunReport report = run_scenario(scenario, options);
  return {std::move(report), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

// Seconds, in the -O1 test build on a loaded machine; a hang would be minutes.
constexpr double kFastWallSeconds = 20;

TEST(Liveness, LivelockedRetryLoopIsCaughtAndNamed) {
  Timed t = run_timed(liveness("livelock_retry.json"));
  EXPECT_TRUE(t.report.ok) << t.report.expectation_failures.front();
  EXPECT_LT(t.wall_s, kFastWallSeconds);
  const Verdict& progress = verdict(t.report, "progress");
  ASSERT_FALSE(progress.ok());
  EXPECT_NE(progress.first.find("livelock bound of 50"), std::string::npos) << progress.first;
  EXPECT_NE(progress.first.find("retry loop of worker 0 of stage 'handle'"), std::string::npos) << progress.first;
  EXPECT_NE(progress.first.find("'db'"), std::string::npos) << progress.first;
  // The run stopped when progress broke, long before any budget.
  EXPECT_EQ(t.report.outcome, RunOutcome::stopped);
}

TEST(Liveness, AStageThatAlwaysFailsWithoutDeadLetterLosesEvents) {
  Timed t = run_timed(liveness("always_fails_no_dlq.json"));
  EXPECT_TRUE(t.report.ok) << t.report.expectation_failures.front();
  EXPECT_LT(t.wall_s, kFastWallSeconds);
  const Verdict& no_loss = verdict(t.report, "no_loss");
  EXPECT_EQ(no_loss.violations, 300u);
  EXPECT_NE(no_loss.first.find("stage 'handle' gave up on it with no dead-letter sink"), std::string::npos)
      << no_loss.first;
  EXPECT_EQ(t.report.summary["counts"]["shed"], 0);
  EXPECT_EQ(t.report.summary["counts"]["lost"], 300);
}

TEST(Liveness, OptingInToDropsMakesGiveUpsCountedNotLost) {
  Scenario scenario = liveness("always_fails_no_dlq.json");
  scenario.stages[0].policies.drop_on_give_up = true;
  RunReport report = run_scenario(scenario, {});
  EXPECT_TRUE(verdict(report, "no_loss").ok()) << verdict(report, "no_loss").first;
  EXPECT_EQ(report.summary["counts"]["give_up_dropped"], 300);
  EXPECT_EQ(report.summary["counts"]["shed"], 0);
  EXPECT_EQ(report.summary["counts"]["lost"], 0);
}

TEST(Liveness, AWorkerThatNeverRestartsStrandsTheQueue) {
  Timed t = run_timed(liveness("crash_no_restart.json"));
  EXPECT_TRUE(t.report.ok) << t.report.expectation_failures.front();
  EXPECT_LT(t.wall_s, kFastWallSeconds);
  const std::string why = explanation(verdict(t.report, "progress"));
  EXPECT_NE(why.find("queued in 'inbox'"), std::string::npos) << why;
  EXPECT_NE(why.find("node 'worker-1' (under crash that never heals)"), std::string::npos) << why;
}

TEST(Liveness, ANodeSlowedAMillionFoldStallsProgress) {
  Timed t = run_timed(liveness("slowed_forever.json"));
  EXPECT_TRUE(t.report.ok) << t.report.expectation_failures.front();
  EXPECT_LT(t.wall_s, kFastWallSeconds);
  const std::string why = explanation(verdict(t.report, "progress"));
  EXPECT_NE(why.find("run.stall_after"), std::string::npos) << why;
  EXPECT_NE(why.find("slow that never heals"), std::string::npos) << why;
}

TEST(Liveness, AConsumerCutOffFromItsBrokerLeavesRecordsInTheLog) {
  Timed t = run_timed(liveness("partitioned_consumer.json"));
  EXPECT_TRUE(t.report.ok) << t.report.expectation_failures.front();
  EXPECT_LT(t.wall_s, kFastWallSeconds);
  const std::string why = explanation(verdict(t.report, "progress"));
  EXPECT_NE(why.find("partition"), std::string::npos) << why;
  EXPECT_NE(why.find("'w1'"), std::string::npos) << why;
}

// --- budgets ---------------------------------------------------------------

TEST(Budgets, EventBudgetEndsTheRunNamingTheBoundAndThePending) {
  Scenario scenario = liveness("livelock_retry.json");
  scenario.run.livelock_attempts = 1'000'000;  // let it spin: progress would stop it first
  scenario.run.stall_after = kNever / 2;
  RunOptions options;
  options.budgets.max_events = 20'000;
  RunReport report = run_scenario(scenario, options);
  EXPECT_EQ(report.outcome, RunOutcome::budget_exhausted);
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.outcome_message.find("run.max_events (20000"), std::string::npos) << report.outcome_message;
  EXPECT_NE(report.outcome_message.find("still pending"), std::string::npos) << report.outcome_message;
  EXPECT_EQ(report.summary["outcome"], "budget_exhausted");
}

TEST(Budgets, VirtualTimeBudgetEndsTheRun) {
  Scenario scenario = liveness("slowed_forever.json");
  scenario.run.stall_after = 1000LL * 24 * 3600 * kNanosPerSecond;  // progress would never say
  RunOptions options;
  options.budgets.max_virtual_time = 3600 * kNanosPerSecond;
  RunReport report = run_scenario(scenario, options);
  EXPECT_EQ(report.outcome, RunOutcome::budget_exhausted);
  EXPECT_NE(report.outcome_message.find("run.max_virtual_time"), std::string::npos) << report.outcome_message;
  EXPECT_LE(report.virtual_time, 3600 * kNanosPerSecond);
}

TEST(Budgets, ScenarioBudgetIsReadAndTheCommandLineWins) {
  Scenario scenario = liveness("livelock_retry.json");
  scenario.run.livelock_attempts = 1'000'000;
  scenario.run.stall_after = kNever / 2;
  scenario.run.max_events = 10'000;
  RunReport from_scenario = run_scenario(scenario, {});
  EXPECT_NE(from_scenario.outcome_message.find("run.max_events (10000"), std::string::npos);
  RunOptions options;
  options.budgets.max_events = 30'000;
  RunReport from_command = run_scenario(scenario, options);
  EXPECT_NE(from_command.outcome_message.find("run.max_events (30000"), std::string::npos);
}

TEST(Budgets, WallBudgetEndsTheRunAndNeverChangesARunWithinIt) {
  Scenario scenario = liveness("livelock_retry.json");
  scenario.run.livelock_attempts = 1'000'000'000;
  scenario.run.stall_after = kNever / 2;
  RunOptions options;
  options.budgets.max_wall_ms = 1;
  options.budgets.max_virtual_time = 1000LL * 3600 * kNanosPerSecond;
  options.budgets.max_events = 1'000'000'000'000;
  RunReport report = run_scenario(scenario, options);
  EXPECT_EQ(report.outcome, RunOutcome::budget_exhausted);
  EXPECT_NE(report.outcome_message.find("run.max_wall_ms (1ms"), std::string::npos) << report.outcome_message;

  // Within its budget, a run's trace_hash is the same whatever the budget.
  Scenario small = liveness("always_fails_no_dlq.json");
  RunOptions roomy;
  roomy.budgets.max_wall_ms = 3'600'000;
  EXPECT_EQ(run_scenario(small, {}).trace_hash, run_scenario(small, roomy).trace_hash);
}

// --- vacuous verdicts ----------------------------------------------------------

TEST(Vacuous, AnInvariantThatCheckedNothingIsMarkedAndStrictFailsIt) {
  // Every event is lost before any effect: per_key_order checks nothing.
  Scenario scenario = liveness("always_fails_no_dlq.json");
  scenario.expect.hold = {"per_key_order"};
  scenario.expect.hold_listed = true;
  scenario.expect.violate = {};
  RunReport lenient = run_scenario(scenario, {});
  EXPECT_TRUE(verdict(lenient, "per_key_order").vacuous);
  EXPECT_EQ(lenient.summary["invariants"]["per_key_order"]["vacuous"], true);
  EXPECT_TRUE(lenient.ok);
  RunOptions strict;
  strict.strict = true;
  RunReport report = run_scenario(scenario, strict);
  EXPECT_FALSE(report.ok);
  ASSERT_FALSE(report.expectation_failures.empty());
  EXPECT_NE(report.expectation_failures.front().find("per_key_order was expected to hold but checked nothing"),
            std::string::npos);
}

TEST(Vacuous, AnInvariantThatCheckedSomethingIsNot) {
  RunReport report = run_scenario(liveness("slowed_forever.json"), {});
  EXPECT_FALSE(verdict(report, "no_duplicate_effects").vacuous);
  EXPECT_FALSE(report.summary["invariants"]["no_duplicate_effects"].contains("vacuous"));
}

}  // namespace
}  // namespace sluice
