// Crashing a node unwinds its fibers at their next runtime call; restart runs start-up again.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/runtime/channel.h"
#include "core/runtime/semaphore.h"
#include "sim/runtime/simulation.h"

namespace sluice {
namespace {

// Counts live instances so a test can see that unwinding released them.
struct Resource {
  static inline int live = 0;
  Resource() { ++live; }
  ~Resource() { --live; }
};

TEST(Crash, BlockedFibersUnwindAtOnceAndReleaseWhatTheyHold) {
  Simulation sim;
  NodeId victim = sim.add_node("victim");
  NodeId other = sim.add_node("other");
  Channel<int> channel(sim, 1, "c");
  bool victim_returned_normally = false;
  int survivor_progress = 0;
  sim.spawn(victim, "blocked-pop", [&] {
    Resource held;
    int v;
    channel.pop(v);
    victim_returned_normally = true;
  });
  sim.spawn(victim, "sleeper", [&] {
    Resource held;
    sim.sleep_for(kNanosPerSecond * 100);
    victim_returned_normally = true;
  });
  sim.spawn(other, "survivor", [&] {
    for (int i = 0; i < 10; ++i) {
      sim.sleep_for(kNanosPerSecond);
      ++survivor_progress;
    }
  });
  sim.call_at(kNanosPerSecond / 2, [&] {
    EXPECT_EQ(Resource::live, 2);
    sim.crash(victim);
  });
  EXPECT_EQ(sim.run().outcome, RunOutcome::quiescent);
  EXPECT_FALSE(victim_returned_normally);
  EXPECT_EQ(Resource::live, 0);
  EXPECT_EQ(survivor_progress, 10);
  EXPECT_EQ(sim.live_fibers(), 0u);
  EXPECT_EQ(sim.now(), 10 * kNanosPerSecond);  // the dead sleeper's timer did not move time
}

TEST(Crash, ARunningFiberStopsAtItsNextRuntimeCall) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  int steps = 0;
  sim.spawn(node, "self-crasher", [&] {
    ++steps;
    sim.crash(node);  // e.g. a fault point inside the core
    ++steps;          // plain code still runs...
    sim.yield();      // ...but the next runtime call unwinds
    ++steps;
  });
  sim.run();
  EXPECT_EQ(steps, 2);
}

TEST(Crash, CatchingStdExceptionDoesNotSwallowIt) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  bool swallowed = false;
  int calls_after_catch_all = 0;
  sim.spawn(node, "f", [&] {
    try {
      sim.sleep_for(100);
    } catch (const std::exception&) {
      swallowed = true;
    }
  });
  sim.spawn(node, "catch-all", [&] {
    try {
      sim.sleep_for(100);
    } catch (...) {
    }
    // Swallowed on purpose: the very next runtime call throws again.
    ++calls_after_catch_all;
    sim.sleep_for(1);
    ++calls_after_catch_all;
  });
  sim.call_at(10, [&] { sim.crash(node); });
  sim.run();
  EXPECT_FALSE(swallowed);
  EXPECT_EQ(calls_after_catch_all, 1);
}

TEST(Crash, RestartRunsStartupAgainWithFreshFibers) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  std::vector<std::string> log;
  int generation = 0;
  sim.on_node_start(node, [&] {
    int g = ++generation;
    sim.spawn(node, "loop", [&, g] {
      for (;;) {
        sim.sleep_for(10);
        log.push_back("g" + std::to_string(g) + "@" + std::to_string(sim.now()));
        if (sim.now() >= 60) return;
      }
    });
  });
  sim.call_at(25, [&] { sim.crash(node); });
  sim.call_at(40, [&] { EXPECT_FALSE(sim.is_up(node)); sim.restart(node); });
  sim.run();
  EXPECT_EQ(log, (std::vector<std::string>{"g1@10", "g1@20", "g2@50", "g2@60"}));
}

TEST(Crash, NotifiedThenCrashedHandsTheItemOn) {
  Simulation sim;
  NodeId dying = sim.add_node("dying");
  NodeId alive = sim.add_node("alive");
  Channel<int> channel(sim, 4, "c");
  int received = -1;
  sim.spawn(dying, "first-waiter", [&] {
    int v;
    channel.pop(v);
    ADD_FAILURE() << "a crashed fiber must not consume";
  });
  sim.spawn(alive, "second-waiter", [&] {
    sim.sleep_for(1);
    channel.pop(received);
  });
  sim.call_at(5, [&] {
    channel.try_push(42);  // notifies first-waiter
    sim.crash(dying);      // before it runs
  });
  sim.run();
  EXPECT_EQ(received, 42);
}

TEST(Crash, APermitHandedToADyingFiberIsNotLost) {
  Simulation sim;
  NodeId dying = sim.add_node("dying");
  NodeId alive = sim.add_node("alive");
  Semaphore semaphore(sim, 1, "one");
  bool later_acquired = false;
  sim.spawn(alive, "holder", [&] {
    semaphore.acquire();
    sim.sleep_for(10);
    semaphore.release();  // hands the permit to the dying waiter...
  });
  sim.spawn(dying, "waiter", [&] {
    sim.sleep_for(1);
    semaphore.acquire();
    ADD_FAILURE() << "a crashed fiber must not get the permit";
  });
  sim.call_at(10, [&] { sim.crash(dying); });  // ...which dies before it runs
  sim.spawn(alive, "latecomer", [&] {
    sim.sleep_for(20);
    later_acquired = semaphore.acquire_until(sim.now() + 5);
  });
  sim.run();
  EXPECT_TRUE(later_acquired);
  EXPECT_EQ(semaphore.available(), 0);
}

TEST(Crash, ShutdownUnwindsParkedDaemonsWithoutLeaks) {
  Resource::live = 0;
  {
    Simulation sim;
    NodeId node = sim.add_node("n");
    Semaphore never(sim, 0, "never");
    for (int i = 0; i < 100; ++i) {
      sim.spawn(node, "daemon", [&] {
        Resource held;
        never.acquire();
      }, SpawnOptions{.daemon = true});
    }
    EXPECT_EQ(sim.run().outcome, RunOutcome::quiescent);
    EXPECT_EQ(Resource::live, 100);
    sim.shutdown();
    EXPECT_EQ(Resource::live, 0);
    EXPECT_EQ(sim.live_fibers(), 0u);
  }
}

}  // namespace
}  // namespace sluice
