// End-to-end runs of small pipelines built in code: queueing theory,
// Little's law, determinism, and checkers that see real failures.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/run/runner.h"

namespace sluice {
namespace {

constexpr double kSecond = 1e9;

// source -> buffer -> stage (one or more workers) -> sink
Scenario single_stage(std::uint64_t count, double arrival_rate, Distribution service_ns, std::uint64_t capacity,
                      OverflowPolicy policy = OverflowPolicy::block, std::vector<std::string> workers = {"worker"}) {
  Scenario s;
  s.file = "test";
  s.name = "single-stage";
  s.sources.push_back(SourceSpec{.id = "src",
                                 .node = "edge",
                                 .count = count,
                                 .interarrival_ns = Distribution::exponential(arrival_rate / kSecond),
                                 .key = Distribution::uniform_int(0, 9),
                                 .size_bytes = Distribution::constant(100),
                                 .priority = Distribution::constant(0),
                                 .to = "q"});
  s.buffers.push_back(BufferSpec{"q", "edge", capacity, policy});
  s.stages.push_back(StageSpec{"work", "q", std::move(workers), std::move(service_ns), "db"});
  s.sinks.push_back(SinkSpec{"db", "db"});
  s.expect.hold = invariant_names();
  return s;
}

TEST(Pipeline, SingleExponentialServerMatchesMM1) {
  // M/M/1 with lambda = 80/s, mu = 100/s: rho = 0.8, mean sojourn W = 1/(mu - lambda) = 50 ms,
  // mean number waiting Lq = rho^2 / (1 - rho) = 3.2.
  const double lambda = 80, mu = 100, rho = lambda / mu;
  const std::uint64_t n = 200'000;
  Scenario s = single_stage(n, lambda, Distribution::exponential(mu / kSecond), 1'000'000);
  RunReport report = run_scenario(s, RunOptions{});
  ASSERT_TRUE(report.ok) << report.summary.dump(2);

  // The tolerance comes from the run length: for M/M/1 the time average of the
  // number in system has asymptotic variance 2 rho (1 + rho) / (mu (1 - rho)^4)
  // per unit time (Whitt, "Planning queueing simulations", 1989), and W = L / lambda.
  // Four standard errors make a false alarm about 1 in 16,000.
  const double run_seconds = static_cast<double>(report.virtual_time) / kSecond;
  const double L = rho / (1 - rho);
  const double relative_se = std::sqrt(2 * rho * (1 + rho) / (mu * std::pow(1 - rho, 4)) / run_seconds) / L;
  const double tolerance = 4 * relative_se;
  ASSERT_LT(tolerance, 0.15) << "the run is too short for a meaningful check";

  const double expected_w_ns = kSecond / (mu - lambda);
  const double measured_w_ns = report.summary["latency_ns"]["mean"].get<double>();
  EXPECT_NEAR(measured_w_ns / expected_w_ns, 1.0, tolerance) << "mean sojourn " << measured_w_ns;

  const double expected_lq = rho * rho / (1 - rho);
  const double measured_lq = report.summary["queues"]["q"]["mean_depth"].get<double>();
  // Lq's relative error is a little larger than L's; allow 1.5x.
  EXPECT_NEAR(measured_lq / expected_lq, 1.0, 1.5 * tolerance) << "mean queue depth " << measured_lq;

  const double busy = report.summary["stages"]["work"]["busy_fraction"].get<double>();
  EXPECT_NEAR(busy, rho, 0.02);
}

// Little's law L = lambda W holds exactly (up to float rounding) for a queue
// that starts and ends empty: both sides are the area under the depth curve.
void expect_littles_law(const RunReport& report) {
  for (const auto& [name, q] : report.summary["queues"].items()) {
    const double lambda = q["arrival_rate_per_s"].get<double>();
    const double w_seconds = q["mean_wait_ns"].get<double>() / kSecond;
    const double departures = q["departures"].get<double>();
    const double arrivals = q["arrivals"].get<double>();
    ASSERT_EQ(departures, arrivals) << name << " did not drain";
    const double l = q["mean_depth"].get<double>();
    EXPECT_NEAR(l, lambda * w_seconds, 1e-9 * std::max(1.0, l)) << "queue " << name;
  }
}

TEST(Pipeline, LittlesLawHoldsForEveryQueueAndPolicy) {
  for (OverflowPolicy policy : {OverflowPolicy::block, OverflowPolicy::drop_newest, OverflowPolicy::drop_oldest,
                                OverflowPolicy::shed_by_priority}) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      Scenario s = single_stage(5'000, 100, Distribution::lognormal(12e6, 0.6), 16, policy);
      s.sources[0].priority = Distribution::uniform_int(0, 3);
      RunOptions options;
      options.seed = seed;
      RunReport report = run_scenario(s, options);
      SCOPED_TRACE(std::string(overflow_policy_name(policy)) + " seed " + std::to_string(seed));
      EXPECT_TRUE(report.ok) << report.summary.dump(2);
      expect_littles_law(report);
      if (policy != OverflowPolicy::block) {
        EXPECT_GT(report.summary["counts"]["shed"].get<int>(), 0);
      }
    }
  }
}

TEST(Pipeline, BlockingBufferAppliesBackpressureAndNeverOverflows) {
  // The worker is 20% too slow: the 64-slot buffer fills and the source blocks.
  Scenario s = single_stage(20'000, 100, Distribution::exponential(1.0 / 12e6), 64);
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok) << report.summary.dump(2);
  EXPECT_EQ(report.summary["queues"]["q"]["max_depth"].get<int>(), 64);
  EXPECT_GT(report.summary["queues"]["q"]["mean_depth"].get<double>(), 40);
  EXPECT_EQ(report.summary["counts"]["shed"].get<int>(), 0);
  EXPECT_EQ(report.summary["counts"]["effects"].get<int>(), 20'000);
  // Throughput is bounded by the service rate, not the arrival rate.
  EXPECT_NEAR(report.summary["stages"]["work"]["busy_fraction"].get<double>(), 1.0, 0.01);
}

TEST(Pipeline, PrioritySheddingKeepsTheCriticalEvents) {
  Scenario s = single_stage(20'000, 400, Distribution::exponential(1.0 / 5e6), 8, OverflowPolicy::shed_by_priority);
  s.sources[0].priority = Distribution::uniform_int(0, 3);
  RunReport report = run_scenario(s, RunOptions{});
  EXPECT_TRUE(report.ok);
  EXPECT_GT(report.summary["counts"]["shed"].get<int>(), 1000);
  // Not proven per event here (that is the shedding checker's job later), but
  // sheds must come overwhelmingly from low priorities: effects keep the rest.
  EXPECT_EQ(report.summary["counts"]["effects"].get<int>() + report.summary["counts"]["shed"].get<int>(), 20'000);
}

TEST(Pipeline, SameSeedSameHashOverAHundredSeeds) {
  Scenario s = single_stage(300, 100, Distribution::exponential(1.0 / 12e6), 8, OverflowPolicy::drop_oldest,
                            {"w1", "w2"});
  s.expect.hold = {"no_loss", "no_duplicate_effects", "bounded_queues", "drains_after_heal"};
  for (StrategyKind strategy : {StrategyKind::fifo, StrategyKind::random}) {
    std::uint64_t previous = 0;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
      RunOptions options;
      options.seed = seed;
      options.strategy = strategy;
      RunReport first = run_scenario(s, options);
      RunReport second = run_scenario(s, options);
      ASSERT_EQ(first.trace_hash, second.trace_hash) << "seed " << seed;
      EXPECT_EQ(first.summary.dump(), second.summary.dump()) << "seed " << seed;
      EXPECT_NE(first.trace_hash, previous) << "seed " << seed << " hashed like seed " << seed - 1;
      previous = first.trace_hash;
    }
  }
}

}  // namespace
}  // namespace sluice
