// Processing guarantees end to end: each delivery mode swept over 200 seeds
// of swarm faults (crashes of workers, broker and sink, pauses, partitions,
// crashes at the checkpoint and commit fault points); recovery from each
// named fault point; checkpoints (incremental, restores, their cost).
#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "core/runtime/fault_points.h"
#include "sim/run/sweep.h"
#include "tests/sim/run_test_support.h"

namespace sluice {
namespace {

using testing::count;
using testing::shipped;
using testing::verdict;

void expect_every_seed_holds(const char* file) {
  const Scenario scenario = shipped(file);
  SweepOptions options;
  options.seeds.resize(200);
  std::iota(options.seeds.begin(), options.seeds.end(), 1);
  options.jobs = 2;
  for (const SeedResult& result : run_sweep(scenario, options)) {
    EXPECT_TRUE(result.ok) << file << " seed " << result.seed << ": " << result.first;
  }
}

TEST(Guarantees, ExactlyOnceKeepsEveryEffectOnceUnderSwarmFaults) {
  expect_every_seed_holds("guarantees/sweep_exactly_once.json");
}

TEST(Guarantees, AtLeastOnceLosesNothingUnderSwarmFaults) {
  expect_every_seed_holds("guarantees/sweep_at_least_once.json");
}

TEST(Guarantees, AtMostOnceNeverRepeatsAnEffectUnderSwarmFaults) {
  expect_every_seed_holds("guarantees/sweep_at_most_once.json");
}

// What each mode gives up shows in the counts: at-least-once repeats work
// after faults, at-most-once loses some.
TEST(Guarantees, TheWeakerModesPayInRepeatsOrLosses) {
  std::uint64_t redelivered = 0, lost = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    RunOptions options;
    options.seed = seed;
    redelivered += count(run_scenario(shipped("guarantees/sweep_at_least_once.json"), options), "redelivered");
    lost += count(run_scenario(shipped("guarantees/sweep_at_most_once.json"), options), "lost");
  }
  EXPECT_GT(redelivered, 0u);
  EXPECT_GT(lost, 0u);
}

TEST(Guarantees, ExactlyOnceReprocessesAfterRestoresWithoutRepeatingEffects) {
  RunReport report = run_scenario(shipped("guarantees/exactly_once.json"), RunOptions{});
  ASSERT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  const nlohmann::json& stage = report.summary["stages"]["count"];
  EXPECT_GT(stage["processed"].get<std::uint64_t>(), count(report, "effects")) << "restores replay records";
  EXPECT_EQ(count(report, "effects"), count(report, "produced"));
  EXPECT_GT(stage["checkpoints"]["completed"].get<std::uint64_t>(), 20u);
  EXPECT_GT(stage["checkpoints"]["aborted"].get<std::uint64_t>(), 0u) << "rebalances abort checkpoints in flight";
  EXPECT_GT(verdict(report, "checkpoint_consistency").checked, 100u);
}

// Seed 385: a worker stuck restoring for generation 8 (the sink paused) got
// checkpoint 21 as the answer, was paused with it until 12 s and applied it
// after checkpoints 28-30 had completed and the group had reached generation
// 13. The coordinator now answers only the current generation's owners, the
// worker drops an answer held past an rpc timeout, and a member stops
// restoring after a session.
TEST(Guarantees, APausedWorkerDoesNotApplyAStaleRestore) {
  RunOptions options;
  options.seed = 385;
  RunReport report = run_scenario(shipped("guarantees/sweep_exactly_once.json"), options);
  const Verdict& state = verdict(report, "checkpoint_consistency");
  EXPECT_TRUE(state.ok()) << state.first;
  EXPECT_GT(state.checked, 100u);
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
}

// With many keys and few changing per interval, a delta is a small part of
// the state.
TEST(Guarantees, IncrementalSnapshotsWriteLessThanFullOnes) {
  Scenario incremental = shipped("guarantees/exactly_once.json");
  incremental.faults.clear();
  incremental.sources[0].key = Distribution::uniform_int(0, 4999);
  incremental.stages[0].checkpoint->full_every = 20;
  Scenario full = incremental;
  full.stages[0].checkpoint->full_every = 1;
  const auto bytes = [](const RunReport& r) { return r.summary["stages"]["count"]["checkpoints"]["bytes"].get<std::uint64_t>(); };
  RunReport a = run_scenario(incremental, RunOptions{});
  RunReport b = run_scenario(full, RunOptions{});
  ASSERT_TRUE(a.ok && b.ok);
  EXPECT_LT(bytes(a) * 3, bytes(b));
}

// A crash exactly at each named point of the checkpoint and commit paths,
// and the run still keeps its guarantees.
struct PointCase {
  std::string_view point;
  const char* target;
  DeliveryMode delivery;
};

class RecoveryFromFaultPoint : public ::testing::TestWithParam<PointCase> {};

TEST_P(RecoveryFromFaultPoint, KeepsTheModesGuarantees) {
  const PointCase& c = GetParam();
  Scenario scenario = shipped(c.delivery == DeliveryMode::exactly_once ? "guarantees/sweep_exactly_once.json"
                                                                         : "guarantees/sweep_at_least_once.json");
  scenario.swarm.reset();
  for (Nanos at : {2 * kNanosPerSecond, 6 * kNanosPerSecond}) {
    FaultSpec fault;
    fault.at = at;
    fault.kind = FaultKind::crash_at_point;
    fault.target = c.target;
    fault.point = std::string(c.point);
    fault.restart_after = kNanosPerSecond;
    scenario.faults.push_back(fault);
  }
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    RunOptions options;
    options.seed = seed;
    RunReport report = run_scenario(scenario, options);
    int fired = 0;
    for (const nlohmann::json& fault : report.summary["faults"]) fired += fault.value("point", "") == c.point;
    EXPECT_EQ(fired, 2) << c.point << " seed " << seed << ": the node should have crashed there twice";
    EXPECT_TRUE(report.ok) << c.point << " seed " << seed << ": " << report.summary["expectations"].dump(2);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Points, RecoveryFromFaultPoint,
    ::testing::Values(PointCase{kBeforeSnapshot, "w1", DeliveryMode::exactly_once},
                      PointCase{kAfterSnapshot, "w2", DeliveryMode::exactly_once},
                      PointCase{kBetweenPrecommitAndCommit, "broker", DeliveryMode::exactly_once},
                      PointCase{kBetweenProcessingAndCommit, "w3", DeliveryMode::at_least_once}),
    [](const auto& info) { return std::string(info.param.point); });

}  // namespace
}  // namespace sluice
