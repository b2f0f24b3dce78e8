// Node faults in the runtime: pause (stop-the-world), slowdown, clock skew, crash hooks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/runtime/channel.h"
#include "sim/runtime/simulation.h"

namespace sluice {
namespace {

TEST(Pause, TimersOfAPausedNodeFireLateNotLost) {
  Simulation sim;
  NodeId paused = sim.add_node("paused");
  NodeId other = sim.add_node("other");
  std::vector<std::string> log;
  sim.spawn(paused, "ticker", [&] {
    for (int i = 0; i < 4; ++i) {
      sim.sleep_for(10);
      log.push_back("p@" + std::to_string(sim.now()));
    }
  });
  sim.spawn(other, "other", [&] {
    for (int i = 0; i < 4; ++i) {
      sim.sleep_for(10);
      log.push_back("o@" + std::to_string(sim.now()));
    }
  });
  sim.call_at(15, [&] { sim.pause(paused); });
  sim.call_at(35, [&] { sim.resume(paused); });
  sim.run();
  // The paused ticker's t=20 wake-up runs at 35; its later sleeps start from there.
  EXPECT_EQ(log, (std::vector<std::string>{"p@10", "o@10", "o@20", "o@30", "p@35", "o@40", "p@45", "p@55"}));
}

TEST(Pause, NotificationsToAPausedNodeWaitForTheResume) {
  Simulation sim;
  NodeId consumer_node = sim.add_node("consumer");
  NodeId producer_node = sim.add_node("producer");
  Channel<int> channel(sim, 4, "c");
  std::vector<Nanos> received_at;
  sim.spawn(consumer_node, "consumer", [&] {
    int v;
    while (channel.pop(v) == ChannelStatus::ok) received_at.push_back(sim.now());
  });
  sim.spawn(producer_node, "producer", [&] {
    for (int i = 0; i < 3; ++i) {
      sim.sleep_for(10);
      channel.push(int{i});
    }
    channel.close();
  });
  sim.call_at(5, [&] { sim.pause(consumer_node); });
  sim.call_at(100, [&] { sim.resume(consumer_node); });
  sim.run();
  EXPECT_EQ(received_at, (std::vector<Nanos>{100, 100, 100}));
}

TEST(Pause, ACrashDuringAPauseUnwindsTheNode) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  bool finished = false;
  sim.spawn(node, "sleeper", [&] {
    sim.sleep_for(50);
    finished = true;
  });
  sim.call_at(10, [&] { sim.pause(node); });
  sim.call_at(20, [&] { sim.crash(node); });
  EXPECT_EQ(sim.run().outcome, RunOutcome::quiescent);
  EXPECT_FALSE(finished);
  EXPECT_EQ(sim.live_fibers(), 0u);
}

TEST(Slowdown, ScalesWhatTheNodesComponentsAskFor) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  std::vector<double> seen;
  sim.spawn(node, "f", [&] {
    for (int i = 0; i < 3; ++i) {
      seen.push_back(sim.slowdown());
      sim.sleep_for(10);
    }
  });
  sim.call_at(5, [&] { sim.set_slowdown(node, 10); });
  sim.call_at(15, [&] { sim.set_slowdown(node, 1); });
  sim.run();
  EXPECT_EQ(seen, (std::vector<double>{1, 10, 1}));
}

TEST(ClockSkew, OnlyTheNodesLocalClockMoves) {
  Simulation sim;
  NodeId skewed = sim.add_node("skewed");
  Nanos local = 0, global = 0;
  sim.set_clock_skew(skewed, -250);
  sim.spawn(skewed, "f", [&] {
    sim.sleep_for(1000);
    local = sim.local_now();
    global = sim.now();
  });
  sim.run();
  EXPECT_EQ(global, 1000);
  EXPECT_EQ(local, 750);
}

TEST(CrashHooks, RunAtTheCrashBeforeFibersUnwind) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  std::vector<std::string> log;
  sim.on_node_crash(node, [&] { log.push_back("hook@" + std::to_string(sim.now())); });
  sim.spawn(node, "f", [&] {
    try {
      sim.sleep_for(100);
    } catch (const NodeCrashed&) {
      log.push_back("unwound@" + std::to_string(sim.now()));
      throw;
    }
  });
  sim.call_at(30, [&] { sim.crash(node); });
  sim.run();
  EXPECT_EQ(log, (std::vector<std::string>{"hook@30", "unwound@30"}));
}

}  // namespace
}  // namespace sluice
