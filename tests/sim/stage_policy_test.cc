// Stage policies end to end: credits, key routing, rate limit, concurrency,
// timeouts and retries, the circuit breaker, the dead-letter sink.
#include <gtest/gtest.h>

#include <string>

#include "sim/check/flow_checker.h"
#include "sim/run/runner.h"

namespace sluice {
namespace {

constexpr double kSecond = 1e9;

Scenario stage_scenario(std::uint64_t count, double rate_per_s, Distribution service_ns,
                        std::vector<std::string> workers = {"w"}) {
  Scenario s;
  s.file = "test";
  s.name = "stage";
  s.sources.push_back(SourceSpec{.id = "src",
                                 .node = "edge",
                                 .count = count,
                                 .interarrival_ns = Distribution::exponential(rate_per_s / kSecond),
                                 .key = Distribution::uniform_int(0, 19),
                                 .size_bytes = Distribution::constant(100),
                                 .priority = Distribution::constant(0),
                                 .to = "q"});
  s.buffers.push_back(BufferSpec{"q", "edge", 1'000'000, OverflowPolicy::block});
  StageSpec stage;
  stage.id = "work";
  stage.from = "q";
  stage.workers = std::move(workers);
  stage.service_ns = std::move(service_ns);
  stage.to = "db";
  s.stages.push_back(stage);
  s.sinks.push_back(SinkSpec{.id = "db", .node = "db"});
  s.expect.hold = invariant_names();
  return s;
}

const Verdict& verdict(const RunReport& report, const std::string& name) {
  for (const auto& [n, v] : report.invariants) {
    if (n == name) return v;
  }
  throw std::logic_error(name);
}

TEST(StagePolicy, KeyRoutingKeepsPerKeyOrderAcrossWorkers) {
  Scenario s = stage_scenario(5'000, 400, Distribution::exponential(1 / 6e6), {"w1", "w2", "w3"});
  s.stages[0].policies.prefetch = 4;
  RunReport ordered = run_scenario(s, RunOptions{});
  EXPECT_TRUE(ordered.ok) << ordered.summary["expectations"].dump(2);
  EXPECT_GT(verdict(ordered, "flow_control").checked, 5'000u);
  // Without key routing, workers race and the checker sees keys reordered.
  s.stages[0].policies.key_ordered = false;
  RunReport racing = run_scenario(s, RunOptions{});
  EXPECT_FALSE(verdict(racing, "per_key_order").ok());
  EXPECT_TRUE(verdict(racing, "flow_control").ok());
}

TEST(StagePolicy, RateLimitOfTenPerMinute) {
  Scenario s = stage_scenario(200, 10, Distribution::constant(1e6));
  s.stages[0].policies.rate_limit = TokenBucketConfig{10.0 / 60.0, 1};
  s.run.until = static_cast<Nanos>(600 * kSecond);
  s.expect.hold = {"no_loss", "no_duplicate_effects", "per_key_order", "bounded_queues", "flow_control"};
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  // 10 minutes at 10 per minute, plus the one token the bucket starts with.
  EXPECT_NEAR(report.summary["stages"]["work"]["processed"].get<int>(), 100, 1);
}

TEST(StagePolicy, ConcurrencyLimitCapsThroughput) {
  // Five workers of 100 ms each could do 50/s; a semaphore of 2 allows 20/s.
  Scenario s = stage_scenario(2'000, 200, Distribution::constant(100e6), {"a", "b", "c", "d", "e"});
  s.stages[0].policies.concurrency = 2;
  s.stages[0].policies.key_ordered = false;  // any worker: keys may be reordered
  s.expect.hold = {"no_loss", "no_duplicate_effects", "bounded_queues", "flow_control", "drains_after_heal"};
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_NEAR(report.summary["stages"]["work"]["throughput_per_s"].get<double>(), 20.0, 0.2);
  EXPECT_NEAR(report.summary["stages"]["work"]["busy_fraction"].get<double>(), 2.0 / 5.0, 0.01);
}

TEST(StagePolicy, PoisonEventsGoToTheDeadLetterSinkAfterTheirAttempts) {
  Scenario s = stage_scenario(10'000, 200, Distribution::exponential(1 / 2e6));
  s.stages[0].policies.poison_fraction = 0.01;
  s.stages[0].policies.retry.max_attempts = 3;
  s.stages[0].policies.retry.backoff = 5 * kNanosPerMilli;
  s.stages[0].policies.dead_letter = "dlq";
  s.sinks.push_back(SinkSpec{.id = "dlq", .node = "db", .dead_letter = true});
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  int parked = report.summary["counts"]["dead_lettered"];
  EXPECT_GT(parked, 60);   // 1% of 10,000, within sampling error
  EXPECT_LT(parked, 140);
  EXPECT_EQ(report.summary["counts"]["effects"].get<int>() + parked, 10'000);
  EXPECT_EQ(report.summary["stages"]["work"]["retries"].get<int>(), 3 * parked);
}

TEST(StagePolicy, WithoutADeadLetterSinkGivenUpEventsAreLost) {
  Scenario s = stage_scenario(2'000, 100, Distribution::constant(1e6));
  s.stages[0].policies.failure_probability = 0.3;
  s.stages[0].policies.retry.max_attempts = 2;
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_FALSE(verdict(report, "no_loss").ok());
  EXPECT_NE(verdict(report, "no_loss").first.find("gave up on it with no dead-letter sink"), std::string::npos)
      << verdict(report, "no_loss").first;
  int lost = report.summary["counts"]["lost"];
  EXPECT_NEAR(lost, 2'000 * 0.09, 60);  // both attempts fail: 0.3^2
  EXPECT_EQ(report.summary["counts"]["effects"].get<int>() + lost, 2'000);
  EXPECT_EQ(report.summary["counts"]["shed"].get<int>(), 0);
}

TEST(StagePolicy, OptedInGiveUpDropsAreCountedUnderTheirOwnName) {
  Scenario s = stage_scenario(2'000, 100, Distribution::constant(1e6));
  s.stages[0].policies.failure_probability = 0.3;
  s.stages[0].policies.retry.max_attempts = 2;
  s.stages[0].policies.drop_on_give_up = true;
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(verdict(report, "no_loss").ok()) << verdict(report, "no_loss").first;
  int dropped = report.summary["counts"]["give_up_dropped"];
  EXPECT_NEAR(dropped, 2'000 * 0.09, 60);
  EXPECT_EQ(report.summary["counts"]["effects"].get<int>() + dropped, 2'000);
  EXPECT_EQ(report.summary["counts"]["shed"].get<int>(), 0);
}

TEST(StagePolicy, TimeoutsFailSlowAttemptsWhichAreRetried) {
  Scenario s = stage_scenario(2'000, 50, Distribution::exponential(1 / 10e6));
  s.stages[0].policies.timeout = 20 * kNanosPerMilli;  // P(service > 20ms) = e^-2 = 13.5%
  s.stages[0].policies.retry.max_attempts = 10;
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  EXPECT_NEAR(report.summary["stages"]["work"]["retries"].get<double>(), 2'000 * 0.156, 60);  // geometric: p/(1-p)
  EXPECT_EQ(report.summary["counts"]["effects"], 2'000);
}

TEST(StagePolicy, CircuitBreakerOpensDuringASinkOutageAndClosesAfter) {
  Scenario s = stage_scenario(3'000, 100, Distribution::constant(2e6));
  s.sinks[0].outages = {Outage{static_cast<Nanos>(10 * kSecond), static_cast<Nanos>(15 * kSecond)}};
  s.stages[0].policies.breaker = BreakerConfig{5, kNanosPerSecond};
  s.stages[0].policies.retry.backoff = 10 * kNanosPerMilli;
  s.stages[0].policies.retry.max_backoff = 100 * kNanosPerMilli;
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary["expectations"].dump(2);
  // Open at the outage, half-open/open a few times during it, closed after.
  int changes = report.summary["stages"]["work"]["breaker_changes"];
  EXPECT_GE(changes, 3);
  EXPECT_GT(report.summary["stages"]["work"]["retries"].get<int>(), 5);
  EXPECT_EQ(report.summary["counts"]["effects"], 3'000);
}

TEST(FlowChecker, ReportsDeliveriesBeyondRequestsAndNonPositiveRequests) {
  FlowChecker checker({1});
  checker.requested(0, 0, 2, 0, "s");
  Event e;
  checker.delivered(0, 0, e, 1, "s");
  checker.delivered(0, 0, e, 2, "s");
  EXPECT_TRUE(checker.verdict().ok());
  checker.delivered(0, 0, e, 3, "s");
  EXPECT_EQ(checker.verdict().violations, 1u);
  EXPECT_NE(checker.verdict().first.find("rule 1.1"), std::string::npos);
  checker.requested(0, 0, 0, 4, "s");
  EXPECT_EQ(checker.verdict().violations, 2u);
  FlowChecker zero({1});
  zero.requested(0, 0, -3, 0, "s");
  EXPECT_NE(zero.verdict().first.find("rule 3.9"), std::string::npos);
}

}  // namespace
}  // namespace sluice
