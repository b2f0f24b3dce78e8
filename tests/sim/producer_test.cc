// Producers as serious clients: a rate limit, several requests in flight,
// retries with backoff under a retry budget, and what happens to rejected
// events (retry, drop, spill to a durable backlog and replay), through sink
// outages and a crash of the producer's node.
#include <gtest/gtest.h>

#include <string>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_error.h"

namespace sluice {
namespace {

constexpr Nanos kMs = kNanosPerMilli;
constexpr Nanos kSecond = kNanosPerSecond;

// source (edge) -> sink db (db): the producer reaches the sink across the network.
Scenario producer(std::uint64_t count, Nanos gap, std::string sink_node = "db") {
  Scenario s;
  s.file = "test";
  s.name = "producer";
  s.sources.push_back(SourceSpec{.id = "src",
                                 .node = "edge",
                                 .count = count,
                                 .interarrival_ns = Distribution::constant(static_cast<double>(gap)),
                                 .key = Distribution::uniform_int(0, 9),
                                 .size_bytes = Distribution::constant(100),
                                 .priority = Distribution::constant(0),
                                 .to = "db"});
  s.sinks.push_back(SinkSpec{.id = "db", .node = std::move(sink_node)});
  s.expect.hold = {"no_loss", "no_duplicate_effects", "per_key_order", "drains_after_heal"};
  return s;
}

// A sink outage from `at` for `duration`.
void outage(Scenario& s, Nanos at, Nanos duration) { s.sinks[0].outages.push_back(Outage{at, at + duration}); }

const Verdict& verdict(const RunReport& report, const std::string& name) {
  for (const auto& [n, v] : report.invariants) {
    if (n == name) return v;
  }
  throw std::logic_error(name);
}

std::uint64_t count(const RunReport& report, const char* name) {
  return report.summary["counts"][name].get<std::uint64_t>();
}

double seconds(const RunReport& report) { return to_seconds(report.summary["virtual_time_ns"].get<Nanos>()); }

TEST(Producer, RateLimitCapsThroughput) {
  // 1,000 per second offered, 50 per second allowed: 200 events take 4 s.
  Scenario s = producer(200, 1 * kMs, "edge");
  RunReport unlimited = run_scenario(s, RunOptions{});
  ASSERT_TRUE(unlimited.ok) << unlimited.summary["expectations"].dump(2);
  EXPECT_LT(seconds(unlimited), 0.25);
  s.sources[0].rate_limit = TokenBucketConfig{50, 1};
  RunReport limited = run_scenario(s, RunOptions{});
  ASSERT_TRUE(limited.ok) << limited.summary["expectations"].dump(2);
  EXPECT_EQ(count(limited, "effects"), 200u);
  // The bucket starts with one token; the other 199 come at 50 per second.
  EXPECT_NEAR(seconds(limited), 199.0 / 50.0, 0.02);
}

TEST(Producer, FourRequestsInFlightGiveFourTimesTheThroughput) {
  // Each produce is an rpc with a 10 ms round trip; arrivals are instant.
  auto run = [](std::uint32_t in_flight) {
    Scenario s = producer(400, 0);
    s.network.defaults.latency_ns = Distribution::constant(5e6);
    s.sources[0].max_in_flight = in_flight;
    s.expect.hold = {"no_loss", "no_duplicate_effects", "drains_after_heal"};
    RunReport report = run_scenario(s, RunOptions{});
    EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
    EXPECT_EQ(count(report, "effects"), 400u);
    return seconds(report);
  };
  const double one = run(1);
  const double four = run(4);
  EXPECT_NEAR(one, 4.0, 0.05);  // 400 round trips of 10 ms, one after another
  EXPECT_NEAR(one / four, 4.0, 0.2);
}

TEST(Producer, RetriesWithBackoffRecoverEventsThroughASinkOutage) {
  Scenario s = producer(1'000, 5 * kMs);
  outage(s, 1 * kSecond, 2 * kSecond);
  s.sources[0].retry = RetryPolicy{.max_attempts = 50, .backoff = 20 * kMs, .max_backoff = 200 * kMs, .jitter = 0.2};
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_GT(count(report, "rejected"), 5u);  // the event in flight kept being refused, backing off
  EXPECT_LT(count(report, "rejected"), 50u);  // ...at most every 200 ms or so for 2 s
  EXPECT_EQ(count(report, "shed"), 0u);
  EXPECT_EQ(count(report, "acked"), 1'000u);
  EXPECT_EQ(count(report, "effects"), 1'000u);
  EXPECT_TRUE(verdict(report, "no_loss").ok());
}

TEST(Producer, WithoutRetriesARejectedEventIsDroppedAndCountedAsShed) {
  for (OnReject policy : {OnReject::drop, OnReject::retry}) {  // retry with max_attempts 1 drops as well
    Scenario s = producer(1'000, 5 * kMs);
    outage(s, 1 * kSecond, 1 * kSecond);
    s.sources[0].on_reject = policy;
    RunReport report = run_scenario(s, RunOptions{});
    EXPECT_TRUE(report.ok) << on_reject_name(policy) << report.summary["expectations"].dump(2);
    const std::uint64_t dropped = count(report, "source_dropped");
    EXPECT_NEAR(static_cast<double>(dropped), 200, 2) << on_reject_name(policy);  // 1 s at 200 per second
    EXPECT_EQ(count(report, "rejected"), dropped);
    EXPECT_EQ(count(report, "shed"), dropped);
    EXPECT_EQ(count(report, "effects") + dropped, 1'000u);
    EXPECT_EQ(count(report, "acked"), count(report, "effects"));
    EXPECT_TRUE(verdict(report, "no_loss").ok());
    EXPECT_EQ(count(report, "lost"), 0u);
  }
}

TEST(Producer, AnExhaustedRetryBudgetDropsInsteadOfRetrying) {
  Scenario s = producer(1'000, 5 * kMs);
  outage(s, 1 * kSecond, 2 * kSecond);
  s.sources[0].max_in_flight = 4;
  s.sources[0].retry = RetryPolicy{.max_attempts = 1'000, .backoff = 20 * kMs, .max_backoff = 50 * kMs, .jitter = 0.2};
  s.expect.hold = {"no_loss", "no_duplicate_effects", "drains_after_heal"};
  // Unbudgeted, every event is retried through the outage.
  RunReport unbudgeted = run_scenario(s, RunOptions{});
  EXPECT_TRUE(unbudgeted.ok) << unbudgeted.summary["expectations"].dump(2);
  EXPECT_EQ(count(unbudgeted, "shed"), 0u);
  EXPECT_EQ(count(unbudgeted, "effects"), 1'000u);

  const double ratio = 0.1;
  s.sources[0].retry_budget_ratio = ratio;
  RunReport budgeted = run_scenario(s, RunOptions{});
  EXPECT_TRUE(budgeted.ok) << budgeted.summary["expectations"].dump(2);
  const std::uint64_t dropped = count(budgeted, "source_dropped");
  EXPECT_GT(dropped, 100u);
  EXPECT_EQ(count(budgeted, "shed"), dropped);
  EXPECT_EQ(count(budgeted, "effects") + dropped, 1'000u);
  // Every rejected attempt is a dropped event's first attempt or a retry
  // (an event accepted after a rejection needed at least one retry), and
  // the budget allows at most its reserve plus ratio x first attempts.
  const double retries_allowed = kRetryBudgetReserve + ratio * 1'000;
  EXPECT_LE(static_cast<double>(count(budgeted, "rejected")), static_cast<double>(dropped) + 2 * retries_allowed);
}

Scenario spill_scenario() {
  Scenario s = producer(1'000, 5 * kMs);
  outage(s, 1 * kSecond, 2 * kSecond);
  s.sources[0].on_reject = OnReject::spill;
  s.sources[0].retry = RetryPolicy{.max_attempts = 1, .backoff = 20 * kMs, .max_backoff = 200 * kMs, .jitter = 0.2};
  s.disks.defaults.write_ns = Distribution::constant(50e3);
  s.disks.defaults.fsync_ns = Distribution::constant(1e6);
  return s;
}

TEST(Producer, SpillKeepsEveryEventThroughAnOutageAndReplaysThemAfterwards) {
  Scenario s = spill_scenario();
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  // Events arriving during the outage (2 s at 200 per second) go to the
  // backlog: the one refused, then every later one behind it (order), also
  // during the replay's first backoff after the outage (at most 200 ms).
  EXPECT_GE(count(report, "spilled"), 399u);
  EXPECT_LE(count(report, "spilled"), 400u + 200 / 5 + 1);
  EXPECT_EQ(count(report, "replayed"), count(report, "spilled"));
  EXPECT_EQ(count(report, "shed"), 0u);
  EXPECT_EQ(count(report, "effects"), 1'000u);
  EXPECT_EQ(count(report, "acked"), 1'000u);
  EXPECT_TRUE(verdict(report, "per_key_order").ok());
  EXPECT_EQ(verdict(report, "no_loss").checked, 1'000u);
}

TEST(Producer, TheSpillBacklogSurvivesACrashOfTheProducersNode) {
  // Crashes at many instants of the outage: during a spill's write or
  // fsync, between spills, while the emitter waits for the next arrival.
  std::uint64_t crashes_that_took_an_event = 0;
  for (Nanos at = 1'500 * kMs; at < 2'800 * kMs; at += 50 * kMs + 370'000) {
    Scenario s = spill_scenario();
    FaultSpec crash;
    crash.kind = FaultKind::crash;
    crash.at = at;
    crash.target = "edge";
    crash.restart_after = 500 * kMs;
    s.faults.push_back(crash);
    RunReport report = run_scenario(s, RunOptions{});
    EXPECT_TRUE(report.ok) << "crash at " << at << report.summary["expectations"].dump(2);
    // The backlog written before the crash was replayed after the restart:
    // nothing spilled is missing.
    EXPECT_GT(count(report, "spilled"), 150u) << "crash at " << at;
    EXPECT_EQ(count(report, "replayed"), count(report, "spilled")) << "crash at " << at;
    // The emitter continued where it stopped: the workload is complete.
    EXPECT_EQ(count(report, "produced"), 1'000u) << "crash at " << at;
    // At most the one event in the sender's hands (max_in_flight 1) died
    // with the node, its spill unfinished; never acknowledged, it is not lost.
    const std::uint64_t gone = count(report, "produced") - count(report, "effects");
    EXPECT_LE(gone, 1u) << "crash at " << at;
    crashes_that_took_an_event += gone;
    EXPECT_EQ(count(report, "acked"), count(report, "effects")) << "crash at " << at;
    EXPECT_EQ(count(report, "lost"), 0u) << "crash at " << at;
  }
  EXPECT_GT(crashes_that_took_an_event, 0u);
}

TEST(Producer, SameSeedSameHashWithEveryPolicy) {
  for (OnReject policy : {OnReject::retry, OnReject::drop, OnReject::spill}) {
    Scenario s = spill_scenario();
    s.sources[0].on_reject = policy;
    s.sources[0].max_in_flight = 3;
    s.sources[0].retry.max_attempts = 4;
    s.sources[0].retry_budget_ratio = 0.2;
    s.network.defaults.latency_ns = Distribution::uniform(1e6, 3e6);
    RunOptions options;
    options.seed = 7;
    EXPECT_EQ(run_scenario(s, options).trace_hash, run_scenario(s, options).trace_hash) << on_reject_name(policy);
  }
}

Scenario load_source(const std::string& extra) {
  return load_scenario_text(R"({"name": "t",
      "sources": [{"id": "s", "node": "a", "count": 1, "arrival": {"dist": "constant", "value": "1ms"},
                   "to": "db")" + extra + R"(}],
      "sinks": [{"id": "db", "node": "b"}]})",
                            "t.json");
}

std::string load_error(const std::string& extra) {
  try {
    load_source(extra);
  } catch (const ScenarioError& e) {
    return e.pointer + ": " + e.what();
  }
  return "no error";
}

TEST(Producer, TheLoaderReadsEveryProducerField) {
  const SourceSpec defaults = load_source("").sources[0];
  EXPECT_EQ(defaults.max_in_flight, 1u);
  EXPECT_EQ(defaults.on_reject, OnReject::retry);
  EXPECT_EQ(defaults.retry.max_attempts, 1u);
  EXPECT_EQ(defaults.retry_budget_ratio, 0);
  EXPECT_EQ(defaults.rate_limit.rate_per_s, 0);

  const SourceSpec s = load_source(R"(, "rate_limit": {"rate": 150, "burst": 20}, "max_in_flight": 8,
      "retry": {"max_attempts": 8, "backoff": "10ms", "max_backoff": "2s", "jitter": 0.1, "budget": 0.2},
      "on_reject": "spill")")
                           .sources[0];
  EXPECT_DOUBLE_EQ(s.rate_limit.rate_per_s, 150);
  EXPECT_DOUBLE_EQ(s.rate_limit.burst, 20);
  EXPECT_EQ(s.max_in_flight, 8u);
  EXPECT_EQ(s.retry.max_attempts, 8u);
  EXPECT_EQ(s.retry.backoff, 10 * kMs);
  EXPECT_EQ(s.retry.max_backoff, 2 * kSecond);
  EXPECT_DOUBLE_EQ(s.retry.jitter, 0.1);
  EXPECT_DOUBLE_EQ(s.retry_budget_ratio, 0.2);
  EXPECT_EQ(s.on_reject, OnReject::spill);
}

TEST(Producer, TheLoaderNamesWhatIsWrongWithAProducerField) {
  EXPECT_NE(load_error(R"(, "max_in_flight": 0)").find("/sources/0/max_in_flight"), std::string::npos);
  EXPECT_NE(load_error(R"(, "max_in_flight": 1025)").find("/sources/0/max_in_flight"), std::string::npos);
  EXPECT_NE(load_error(R"(, "on_reject": "park")").find("/sources/0/on_reject"), std::string::npos);
  EXPECT_NE(load_error(R"(, "retry": {"budget": -1})").find("/sources/0/retry/budget"), std::string::npos);
  EXPECT_NE(load_error(R"(, "retry": {"budjet": 0.1})").find("did you mean 'budget'"), std::string::npos);
  EXPECT_NE(load_error(R"(, "rate_limit": {"burst": 2})").find("/sources/0/rate_limit"), std::string::npos);
  EXPECT_NE(load_error(R"(, "in_flight": 2)").find("unknown field 'in_flight'"), std::string::npos);
  // A retry budget is a producer's: a stage's retry has none.
  const std::string stage = R"({"name": "t",
      "sources": [{"id": "s", "node": "a", "count": 1, "arrival": {"dist": "constant", "value": "1ms"}, "to": "q"}],
      "buffers": [{"id": "q", "node": "a", "capacity": 1}],
      "stages": [{"id": "w", "from": "q", "workers": ["b"], "service_time": {"dist": "constant", "value": "1ms"},
                  "to": "db", "retry": {"budget": 0.1}}],
      "sinks": [{"id": "db", "node": "c"}]})";
  try {
    load_scenario_text(stage, "t.json");
    ADD_FAILURE() << "a stage retry budget was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.pointer, "/stages/0/retry/budget");
  }
}

}  // namespace
}  // namespace sluice
