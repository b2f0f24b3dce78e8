// Faults against the walking-skeleton pipeline: each kind's effect on the
// run, what the checkers make of it, and determinism under swarm faults.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sim/run/runner.h"

namespace sluice {
namespace {

constexpr double kSecond = 1e9;

// source (edge) -> buffer q (edge) -> stage work (worker) -> sink db (db)
Scenario pipeline(std::uint64_t count = 2'000) {
  Scenario s;
  s.file = "test";
  s.name = "faults";
  s.sources.push_back(SourceSpec{.id = "src",
                                 .node = "edge",
                                 .count = count,
                                 .interarrival_ns = Distribution::constant(10e6),  // 100/s
                                 .key = Distribution::uniform_int(0, 9),
                                 .size_bytes = Distribution::constant(100),
                                 .priority = Distribution::constant(0),
                                 .to = "q"});
  s.buffers.push_back(BufferSpec{"q", "edge", 10'000, OverflowPolicy::block});
  s.stages.push_back(StageSpec{"work", "q", {"worker"}, Distribution::constant(5e6), "db"});
  s.sinks.push_back(SinkSpec{"db", "db"});
  s.expect.hold = invariant_names();
  return s;
}

FaultSpec fault(FaultKind kind, double at_s, std::string target) {
  FaultSpec f;
  f.kind = kind;
  f.at = static_cast<Nanos>(at_s * kSecond);
  f.target = std::move(target);
  return f;
}

const Verdict& verdict(const RunReport& report, const std::string& name) {
  for (const auto& [n, v] : report.invariants) {
    if (n == name) return v;
  }
  throw std::logic_error(name);
}

TEST(Faults, APausedWorkerDelaysButLosesNothing) {
  Scenario s = pipeline();
  FaultSpec pause = fault(FaultKind::pause, 5, "worker");
  pause.duration = static_cast<Nanos>(2 * kSecond);
  s.faults.push_back(pause);
  RunReport baseline = run_scenario(pipeline(), RunOptions{});
  RunReport paused = run_scenario(s, RunOptions{});
  EXPECT_TRUE(paused.ok) << paused.summary.dump(2);
  // 2 s at 100/s pile up about 200 events while nothing is served.
  EXPECT_GE(paused.summary["queues"]["q"]["max_depth"].get<int>(), 195);
  EXPECT_LE(baseline.summary["queues"]["q"]["max_depth"].get<int>(), 1);
  EXPECT_GE(paused.summary["latency_ns"]["max"].get<double>(), 1.9 * kSecond);
  ASSERT_EQ(paused.summary["faults"].size(), 1u);
  EXPECT_EQ(paused.summary["faults"][0]["kind"], "pause");
  EXPECT_EQ(paused.summary["faults"][0]["at_ns"], 5'000'000'000LL);
  EXPECT_EQ(paused.summary["faults"][0]["end_ns"], 7'000'000'000LL);
}

TEST(Faults, ASlowWorkerStretchesServiceTimes) {
  Scenario s = pipeline();
  FaultSpec slow = fault(FaultKind::slow, 2, "worker");
  slow.factor = 4;  // 5 ms -> 20 ms per event, at 100/s arrivals: a backlog builds
  slow.duration = static_cast<Nanos>(5 * kSecond);
  s.faults.push_back(slow);
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary.dump(2);
  EXPECT_GT(report.summary["queues"]["q"]["max_depth"].get<int>(), 100);
  EXPECT_EQ(report.summary["counts"]["effects"], 2'000);
}

TEST(Faults, ACrashedWorkerLosesTheEventInServiceAndNoLossSaysSo) {
  Scenario s = pipeline();
  FaultSpec crash = fault(FaultKind::crash, 3.0025, "worker");  // mid-service: services run 5 ms every 10 ms
  crash.restart_after = static_cast<Nanos>(1 * kSecond);
  s.faults.push_back(crash);
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_FALSE(report.ok);
  const Verdict& no_loss = verdict(report, "no_loss");
  EXPECT_EQ(no_loss.violations, 1u);
  EXPECT_NE(no_loss.first.find("acknowledged but never took effect"), std::string::npos) << no_loss.first;
  EXPECT_EQ(report.summary["counts"]["lost"], 1);
  EXPECT_EQ(report.summary["counts"]["effects"], 1'999);
  // The restarted worker drained the backlog the outage built up.
  EXPECT_TRUE(verdict(report, "drains_after_heal").ok()) << verdict(report, "drains_after_heal").first;
  // The scenario can say it expects exactly this.
  s.expect.hold = {"no_duplicate_effects", "per_key_order", "bounded_queues", "drains_after_heal"};
  s.expect.violate = {"no_loss"};
  EXPECT_TRUE(run_scenario(s, RunOptions{}).ok);
}

TEST(Faults, ACrashOfTheBuffersNodeDropsItsContents) {
  Scenario s = pipeline();
  FaultSpec pause = fault(FaultKind::pause, 1, "worker");  // let the buffer fill first
  pause.duration = static_cast<Nanos>(3 * kSecond);
  FaultSpec crash = fault(FaultKind::crash, 3, "edge");
  crash.restart_after = static_cast<Nanos>(1 * kSecond);
  s.faults = {pause, crash};
  RunReport report = run_scenario(s, RunOptions{});
  const Verdict& no_loss = verdict(report, "no_loss");
  EXPECT_GE(no_loss.violations, 150u);
  EXPECT_EQ(report.summary["queues"]["q"]["lost_in_crash"].get<std::uint64_t>(), no_loss.violations);
  // The source restarted with the node and finished its workload.
  EXPECT_EQ(report.summary["counts"]["produced"].get<int>(), 2'000);
}

TEST(Faults, ANodeThatNeverRestartsLeavesABacklogThatNeverDrains) {
  Scenario s = pipeline();
  s.faults.push_back(fault(FaultKind::crash, 2, "worker"));  // no restart_after
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_FALSE(verdict(report, "drains_after_heal").ok());
  EXPECT_NE(verdict(report, "drains_after_heal").first.find("still queued or in service"), std::string::npos);
}

Scenario swarm_pipeline() {
  Scenario s = pipeline(1'000);
  SwarmSpec swarm;
  swarm.kinds = {FaultKind::crash, FaultKind::pause, FaultKind::slow, FaultKind::clock_skew};
  swarm.rate_per_s = 0.5;
  swarm.intensity = 0.5;
  s.swarm = swarm;
  s.run.faults_end = static_cast<Nanos>(8 * kSecond);
  // The worker reaches db over the network with at-least-once retries: a db
  // pause longer than the rpc timeout yields duplicates, so they are not expected away.
  s.expect.hold = {"bounded_queues", "drains_after_heal"};
  return s;
}

TEST(Faults, SwarmRunsAreDeterministicOverAHundredSeeds) {
  Scenario s = swarm_pipeline();
  std::set<std::string> kinds_seen;
  std::set<std::uint64_t> hashes;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    RunOptions options;
    options.seed = seed;
    RunReport first = run_scenario(s, options);
    RunReport second = run_scenario(s, options);
    ASSERT_EQ(first.trace_hash, second.trace_hash) << "seed " << seed;
    ASSERT_EQ(first.summary["faults"], second.summary["faults"]) << "seed " << seed;
    EXPECT_TRUE(first.ok) << "seed " << seed << ": " << first.summary["expectations"].dump();
    hashes.insert(first.trace_hash);
    for (const auto& f : first.summary["faults"]) {
      kinds_seen.insert(f["kind"].get<std::string>());
      // Everything heals by faults_end, so liveness is judged after it.
      if (f.contains("end_ns")) {
        EXPECT_LE(f["end_ns"].get<Nanos>(), s.run.faults_end);
      }
      EXPECT_LT(f["at_ns"].get<Nanos>(), s.run.faults_end);
    }
  }
  EXPECT_EQ(hashes.size(), 100u);
  EXPECT_EQ(kinds_seen.size(), 4u);
}

TEST(Faults, SwarmEnablesADifferentSubsetOfKindsPerSeed) {
  SwarmSpec swarm;
  swarm.kinds = {FaultKind::crash, FaultKind::pause, FaultKind::slow, FaultKind::clock_skew};
  swarm.rate_per_s = 5;
  std::set<std::set<int>> subsets;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    std::set<int> kinds;
    for (const FaultSpec& f : draw_swarm(swarm, static_cast<Nanos>(20 * kSecond), {"a", "b"}, seed)) {
      kinds.insert(static_cast<int>(f.kind));
    }
    subsets.insert(kinds);
  }
  EXPECT_GE(subsets.size(), 8u);  // of the 15 non-empty subsets
}

}  // namespace
}  // namespace sluice
