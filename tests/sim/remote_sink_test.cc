// The stage -> sink hop across the simulated network: a worker on another
// node than its sink offers by rpc, so partitions, drops, duplicates and
// crashes of either side change the run; a worker on the sink's node calls
// the sink directly.
#include <gtest/gtest.h>

#include <string>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_error.h"

namespace sluice {
namespace {

constexpr Nanos kMs = kNanosPerMilli;
constexpr Nanos kSecond = kNanosPerSecond;

// source (edge) -> buffer q (edge) -> stage work (`worker`) -> sink db (db)
Scenario pipeline(std::string worker = "worker", std::uint64_t count = 1'000) {
  Scenario s;
  s.file = "test";
  s.name = "remote-sink";
  s.sources.push_back(SourceSpec{.id = "src",
                                 .node = "edge",
                                 .count = count,
                                 .interarrival_ns = Distribution::constant(10e6),  // 100/s
                                 .key = Distribution::uniform_int(0, 9),
                                 .size_bytes = Distribution::constant(100),
                                 .priority = Distribution::constant(0),
                                 .to = "q"});
  s.buffers.push_back(BufferSpec{"q", "edge", 10'000, OverflowPolicy::block});
  s.stages.push_back(StageSpec{"work", "q", {std::move(worker)}, Distribution::constant(2e6), "db"});
  s.stages[0].policies.breaker = BreakerConfig{.failure_threshold = 3, .open_for = 500 * kMs};
  s.stages[0].policies.retry.max_backoff = 200 * kMs;
  s.sinks.push_back(SinkSpec{"db", "db"});
  s.sinks[0].rpc_timeout = 100 * kMs;
  s.expect.hold = {"no_loss", "no_duplicate_effects", "per_key_order", "bounded_queues", "drains_after_heal"};
  return s;
}

FaultSpec partition(Nanos at, Nanos duration) {
  FaultSpec f;
  f.kind = FaultKind::partition;
  f.at = at;
  f.duration = duration;
  f.groups = {{"worker"}, {"db"}};
  return f;
}

const Verdict& verdict(const RunReport& report, const std::string& name) {
  for (const auto& [n, v] : report.invariants) {
    if (n == name) return v;
  }
  throw std::logic_error(name);
}

std::uint64_t net(const RunReport& report, const char* counter) {
  return report.summary["world"]["network"][counter].get<std::uint64_t>();
}

TEST(RemoteSink, EachSinkReadsItsRpcTimeoutFromTheScenario) {
  auto load = [](const std::string& sink) {
    return load_scenario_text(R"({"name": "t",
      "sources": [{"id": "s", "node": "a", "count": 1, "arrival": {"dist": "constant", "value": "1ms"}, "to": "q"}],
      "buffers": [{"id": "q", "node": "a", "capacity": 1}],
      "stages": [{"id": "w", "from": "q", "workers": ["b"], "service_time": {"dist": "constant", "value": "1ms"},
                  "to": "db"}],
      "sinks": [)" + sink + "]}",
                              "t.json");
  };
  EXPECT_EQ(load(R"({"id": "db", "node": "c"})").sinks[0].rpc_timeout, kSecond);
  EXPECT_EQ(load(R"({"id": "db", "node": "c", "rpc_timeout": "200ms"})").sinks[0].rpc_timeout, 200 * kMs);
  try {
    load(R"({"id": "db", "node": "c", "rpc_timeout": "0s"})");
    ADD_FAILURE() << "a zero timeout was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.pointer, "/sinks/0/rpc_timeout");
  }
}

TEST(RemoteSink, AWorkerOnTheSinksNodeCallsItDirectly) {
  RunReport report = run_scenario(pipeline("db"), RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_EQ(report.summary["counts"]["effects"], 1'000);
  EXPECT_EQ(net(report, "sent"), 0u);
}

TEST(RemoteSink, AWorkerOnAnotherNodeAppliesByRpcAndGetsTheReply) {
  Scenario s = pipeline();
  s.network.defaults.latency_ns = Distribution::constant(1e6);  // 1 ms each way
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_EQ(report.summary["counts"]["effects"], 1'000);
  EXPECT_EQ(report.summary["counts"]["retries"], 0);
  // One request and one reply per event.
  EXPECT_EQ(net(report, "sent"), 2'000u);
  EXPECT_EQ(net(report, "delivered"), 2'000u);
  // Latency: 2 ms of service plus the request's 1 ms on the wire.
  EXPECT_GE(report.summary["latency_ns"]["p50"].get<double>(), 2.9e6);
}

TEST(RemoteSink, APartitionMakesTheWorkerRetryAndOpensTheBreakerThenHealDrains) {
  Scenario s = pipeline();
  s.faults.push_back(partition(3 * kSecond, 2 * kSecond));
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_GT(net(report, "dropped_partitioned"), 0u);
  const nlohmann::json& stage = report.summary["stages"]["work"];
  EXPECT_GE(stage["retries"].get<int>(), 3);
  // closed -> open, then half-open trials that fail, then closed after the heal.
  EXPECT_GE(stage["breaker_changes"].get<int>(), 3);
  // About 2 s of arrivals at 100/s waited in the buffer.
  EXPECT_GE(report.summary["queues"]["q"]["max_depth"].get<int>(), 150);
  EXPECT_EQ(report.summary["counts"]["effects"], 1'000);
}

TEST(RemoteSink, LostRepliesMakeDuplicateEffectsThatTheCheckerReports) {
  Scenario s = pipeline();
  FaultSpec cut;
  cut.kind = FaultKind::partition_one_way;
  cut.at = 3 * kSecond;
  cut.duration = 2 * kSecond;
  cut.from = {"db"};
  cut.to = {"worker"};
  s.faults.push_back(cut);
  RunReport report = run_scenario(s, RunOptions{});
  const Verdict& duplicates = verdict(report, "no_duplicate_effects");
  EXPECT_FALSE(duplicates.ok());
  EXPECT_NE(duplicates.first.find("took effect twice"), std::string::npos) << duplicates.first;
  // Every attempt during the cut was applied, so each one but the first is a duplicate.
  EXPECT_GT(report.summary["counts"]["effects"].get<int>(), 1'000);
  EXPECT_TRUE(verdict(report, "no_loss").ok()) << verdict(report, "no_loss").first;
  EXPECT_TRUE(verdict(report, "drains_after_heal").ok());
  s.expect.hold = {"no_loss", "bounded_queues", "drains_after_heal"};
  s.expect.violate = {"no_duplicate_effects"};
  EXPECT_TRUE(run_scenario(s, RunOptions{}).ok);
}

TEST(RemoteSink, ACrashOfTheSinksNodeTimesRequestsOutUntilItRestarts) {
  Scenario s = pipeline();
  FaultSpec crash;
  crash.kind = FaultKind::crash;
  crash.at = 3 * kSecond + 5 * kMs;  // between two requests
  crash.target = "db";
  crash.restart_after = 1 * kSecond;
  s.faults.push_back(crash);
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_GT(net(report, "dropped_node_down"), 0u);
  EXPECT_GE(report.summary["stages"]["work"]["retries"].get<int>(), 3);
  EXPECT_EQ(report.summary["counts"]["effects"], 1'000);
  EXPECT_GE(report.summary["latency_ns"]["max"].get<double>(), 0.9 * kSecond);
}

TEST(RemoteSink, AWorkerThatCrashesAfterTheSinkAppliedItsEventLosesNothing) {
  // 3 ms each way: the event emitted at 3 s is served by 3.002 s, applied at
  // 3.005 s, and its reply would arrive at 3.008 s; the worker crashes at
  // 3.0065 s, in between, so the stage reports it lost in transit although
  // it took effect.
  Scenario s = pipeline();
  s.network.defaults.latency_ns = Distribution::constant(3e6);
  FaultSpec crash;
  crash.kind = FaultKind::crash;
  crash.at = 3 * kSecond + 6'500'000;
  crash.target = "worker";
  crash.restart_after = 1 * kSecond;
  s.faults.push_back(crash);
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_EQ(report.summary["stages"]["work"]["lost_in_crash"], 1);
  EXPECT_EQ(report.summary["counts"]["effects"], 1'000);
  EXPECT_TRUE(verdict(report, "no_loss").ok()) << verdict(report, "no_loss").first;
  EXPECT_EQ(report.summary["counts"]["lost"], 0);
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
}

TEST(RemoteSink, AWorkerThatCrashesMidTrialDoesNotLeaveTheBreakerHalfOpenForever) {
  // With a 1 s timeout and a breaker that opens after one failure for 200 ms,
  // the worker spends most of the partition in a half-open trial call; it
  // crashes in the one from 5.4 s to 6.4 s. The trial's outcome is unknown:
  // it counts as a failure, so the restarted worker may try again.
  Scenario s = pipeline();
  s.sinks[0].rpc_timeout = 1 * kSecond;
  s.stages[0].policies.breaker = BreakerConfig{.failure_threshold = 1, .open_for = 200 * kMs};
  s.faults.push_back(partition(3 * kSecond, 5 * kSecond));
  FaultSpec crash;
  crash.kind = FaultKind::crash;
  crash.at = 6 * kSecond;
  crash.target = "worker";
  crash.restart_after = 500 * kMs;
  s.faults.push_back(crash);
  s.run.until = 60 * kSecond;  // a stuck breaker polls forever
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(verdict(report, "drains_after_heal").ok()) << verdict(report, "drains_after_heal").first;
  // The event in the worker's hands never reached the sink: it is lost.
  EXPECT_EQ(report.summary["counts"]["lost"], 1);
  EXPECT_EQ(report.summary["counts"]["effects"], 999);
}

TEST(RemoteSink, RunsWithDropsAndDuplicatesAreDeterministic) {
  Scenario s = pipeline("worker", 3'000);
  s.network.defaults.latency_ns = Distribution::uniform(1e6, 3e6);
  s.network.defaults.drop = 0.01;
  s.network.defaults.duplicate = 0.01;
  s.expect.hold = {"no_loss", "bounded_queues", "drains_after_heal"};
  s.expect.violate = {"no_duplicate_effects"};
  for (std::uint64_t seed : {1, 2}) {
    RunOptions options;
    options.seed = seed;
    RunReport first = run_scenario(s, options);
    RunReport second = run_scenario(s, options);
    EXPECT_TRUE(first.ok) << "seed " << seed << ": " << first.summary["expectations"].dump(2);
    EXPECT_EQ(first.trace_hash, second.trace_hash) << "seed " << seed;
    EXPECT_EQ(first.summary["world"], second.summary["world"]) << "seed " << seed;
    EXPECT_GT(net(first, "dropped_random"), 0u);
    EXPECT_GT(first.summary["stages"]["work"]["retries"].get<int>(), 0);
  }
}

}  // namespace
}  // namespace sluice
