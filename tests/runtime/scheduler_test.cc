// The virtual-time scheduler: timers, ordering, strategies, determinism, deadlock.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/runtime/simulation.h"

namespace sluice {
namespace {

TEST(Scheduler, AnHourOfSleepingTakesNoWallTime) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  int wakeups = 0;
  sim.spawn(node, "sleeper", [&] {
    for (int i = 0; i < 3600; ++i) {
      sim.sleep_for(kNanosPerSecond);
      ++wakeups;
    }
  });
  RunResult result = sim.run();
  EXPECT_EQ(result.outcome, RunOutcome::quiescent);
  EXPECT_EQ(wakeups, 3600);
  EXPECT_EQ(sim.now(), 3600 * kNanosPerSecond);
}

TEST(Scheduler, TimersFireInTimeOrderAndTiesBreakByInsertion) {
  Simulation sim;
  std::vector<std::string> fired;
  sim.call_at(30, [&] { fired.push_back("c@30"); });
  sim.call_at(10, [&] { fired.push_back("a@10"); });
  sim.call_at(20, [&] { fired.push_back("b1@20"); });
  sim.call_at(20, [&] { fired.push_back("b2@20"); });
  sim.call_at(20, [&] { fired.push_back("b3@20"); });
  sim.run();
  EXPECT_EQ(fired, (std::vector<std::string>{"a@10", "b1@20", "b2@20", "b3@20", "c@30"}));
}

TEST(Scheduler, SleepingFibersWakeInDeadlineThenSpawnOrder) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  std::vector<int> order;
  for (int i = 0; i < 5; ++i) {
    sim.spawn(node, "f" + std::to_string(i), [&, i] {
      sim.sleep_until(i % 2 == 0 ? 100 : 50);
      order.push_back(i);
    });
  }
  sim.run();
  EXPECT_EQ(order, (std::vector<int>{1, 3, 0, 2, 4}));
}

TEST(Scheduler, CancelledCallbackNeitherRunsNorMovesTheClock) {
  Simulation sim;
  bool ran = false;
  std::uint64_t handle = sim.call_at(1000, [&] { ran = true; });
  sim.call_at(10, [&] { sim.cancel(handle); });
  sim.run();
  EXPECT_FALSE(ran);
  EXPECT_EQ(sim.now(), 10);
}

TEST(Scheduler, RunUntilStopsAtTheBoundAndResumes) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  int ticks = 0;
  sim.spawn(node, "ticker", [&] {
    for (int i = 0; i < 10; ++i) {
      sim.sleep_for(100);
      ++ticks;
    }
  });
  EXPECT_EQ(sim.run(450).outcome, RunOutcome::time_limit);
  EXPECT_EQ(ticks, 4);
  EXPECT_EQ(sim.now(), 450);
  EXPECT_EQ(sim.run().outcome, RunOutcome::quiescent);
  EXPECT_EQ(ticks, 10);
}

std::uint64_t ping_pong_hash(std::uint64_t seed, StrategyKind strategy) {
  SimulationOptions options;
  options.seed = seed;
  options.strategy = strategy;
  Simulation sim(options);
  NodeId node = sim.add_node("n");
  // Several fibers contend at the same instants, so the strategy matters.
  for (int f = 0; f < 4; ++f) {
    sim.spawn(node, "worker" + std::to_string(f), [&sim, f, seed] {
      Rng rng = sim.stream("worker" + std::to_string(f));
      for (int i = 0; i < 50; ++i) {
        sim.sleep_for(static_cast<Nanos>(rng.uniform_u64(3)));
        sim.yield();
        sim.trace(static_cast<std::uint64_t>(f * 1000 + i) ^ seed);
      }
    });
  }
  sim.run();
  return sim.trace_hash();
}

TEST(Scheduler, SameSeedSameHashDifferentSeedDifferentHash) {
  for (StrategyKind strategy : {StrategyKind::fifo, StrategyKind::random}) {
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
      EXPECT_EQ(ping_pong_hash(seed, strategy), ping_pong_hash(seed, strategy)) << "seed " << seed;
    }
    EXPECT_NE(ping_pong_hash(1, strategy), ping_pong_hash(2, strategy));
  }
}

TEST(Scheduler, RandomStrategyExploresOtherInterleavings) {
  // Under fifo the order of same-instant fibers is fixed; random must vary it.
  std::vector<std::uint64_t> hashes;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) hashes.push_back(ping_pong_hash(seed, StrategyKind::random));
  std::sort(hashes.begin(), hashes.end());
  EXPECT_EQ(std::unique(hashes.begin(), hashes.end()) - hashes.begin(), 20);
}

TEST(Scheduler, DeadlockIsReportedWithTheBlockedFibersNames) {
  WaitQueue never("never-signalled");  // outlives the simulation's shutdown
  Simulation sim;
  NodeId node = sim.add_node("n");
  sim.spawn(node, "stuck-a", [&] { sim.wait(never); });
  sim.spawn(node, "stuck-b", [&] { sim.wait(never); });
  RunResult result = sim.run();
  EXPECT_EQ(result.outcome, RunOutcome::deadlock);
  EXPECT_NE(result.message.find("'stuck-a' on node 'n' waiting on 'never-signalled'"), std::string::npos)
      << result.message;
  EXPECT_NE(result.message.find("stuck-b"), std::string::npos);
}

TEST(Scheduler, BlockedDaemonsAreNotADeadlock) {
  WaitQueue requests("requests");
  Simulation sim;
  NodeId node = sim.add_node("n");
  sim.spawn(node, "server", [&] { sim.wait(requests); }, SpawnOptions{.daemon = true});
  EXPECT_EQ(sim.run().outcome, RunOutcome::quiescent);
}

TEST(Scheduler, AnEscapingExceptionEndsTheRunWithItsMessage) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  sim.spawn(node, "thrower", [&] {
    sim.sleep_for(5);
    throw std::runtime_error("boom");
  });
  RunResult result = sim.run();
  EXPECT_EQ(result.outcome, RunOutcome::fiber_error);
  EXPECT_NE(result.message.find("'thrower'"), std::string::npos);
  EXPECT_NE(result.message.find("boom"), std::string::npos);
}

TEST(Scheduler, EventLimitBreaksALivelock) {
  SimulationOptions options;
  options.max_events = 1000;
  Simulation sim(options);
  NodeId node = sim.add_node("n");
  sim.spawn(node, "spinner", [&] {
    for (;;) sim.yield();
  });
  // The spinner never lets the instant settle; the limit must still end the run.
  sim.spawn(node, "other", [&] {
    for (;;) sim.yield();
  });
  RunResult result = sim.run();
  EXPECT_EQ(result.outcome, RunOutcome::event_limit);
}

TEST(Scheduler, WaitFromACallbackIsAnError) {
  Simulation sim;
  WaitQueue queue;
  bool threw = false;
  sim.call_at(1, [&] {
    try {
      sim.wait(queue);
    } catch (const std::logic_error&) {
      threw = true;
    }
  });
  sim.run();
  EXPECT_TRUE(threw);
}

}  // namespace
}  // namespace sluice
