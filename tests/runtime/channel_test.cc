// Channels, semaphores and events blocking in virtual time.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/runtime/channel.h"
#include "core/runtime/semaphore.h"
#include "core/runtime/signal.h"
#include "sim/runtime/simulation.h"

namespace sluice {
namespace {

TEST(Channel, PushBlocksWhileFullUntilAPop) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  Channel<int> channel(sim, 2, "c");
  std::vector<std::string> log;
  sim.spawn(node, "producer", [&] {
    for (int i = 0; i < 4; ++i) {
      ASSERT_EQ(channel.push(int{i}), ChannelStatus::ok);
      log.push_back("pushed " + std::to_string(i) + " @" + std::to_string(sim.now()));
    }
  });
  sim.spawn(node, "consumer", [&] {
    sim.sleep_for(100);
    for (int i = 0; i < 4; ++i) {
      int v = -1;
      ASSERT_EQ(channel.pop(v), ChannelStatus::ok);
      EXPECT_EQ(v, i);
      log.push_back("popped " + std::to_string(v) + " @" + std::to_string(sim.now()));
      sim.sleep_for(10);
    }
  });
  EXPECT_EQ(sim.run().outcome, RunOutcome::quiescent);
  EXPECT_EQ(log, (std::vector<std::string>{"pushed 0 @0", "pushed 1 @0", "popped 0 @100", "pushed 2 @100",
                                          "popped 1 @110", "pushed 3 @110", "popped 2 @120", "popped 3 @130"}));
}

TEST(Channel, PopBlocksWhileEmptyAndWakesWaitersInArrivalOrder) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  Channel<int> channel(sim, 8, "c");
  std::vector<std::string> got;
  for (int c = 0; c < 3; ++c) {
    sim.spawn(node, "consumer" + std::to_string(c), [&, c] {
      sim.sleep_for(c);  // consumer c starts waiting at t=c
      int v = -1;
      channel.pop(v);
      got.push_back("c" + std::to_string(c) + "=" + std::to_string(v));
    });
  }
  sim.spawn(node, "producer", [&] {
    sim.sleep_for(50);
    for (int i = 0; i < 3; ++i) channel.push(int{i});
  });
  sim.run();
  EXPECT_EQ(got, (std::vector<std::string>{"c0=0", "c1=1", "c2=2"}));
}

TEST(Channel, TimeoutsAreInVirtualTime) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  Channel<int> channel(sim, 1, "c");
  ChannelStatus pop_status = ChannelStatus::ok;
  ChannelStatus push_status = ChannelStatus::ok;
  Nanos pop_returned = -1;
  Nanos push_returned = -1;
  sim.spawn(node, "popper", [&] {
    int v;
    pop_status = channel.pop_until(v, sim.now() + 5 * kNanosPerSecond);
    pop_returned = sim.now();
  });
  sim.spawn(node, "pusher", [&] {
    sim.sleep_for(10 * kNanosPerSecond);
    channel.push(1);
    push_status = channel.push_until(2, sim.now() + 3 * kNanosPerSecond);
    push_returned = sim.now();
  });
  sim.run();
  EXPECT_EQ(pop_status, ChannelStatus::timeout);
  EXPECT_EQ(pop_returned, 5 * kNanosPerSecond);
  EXPECT_EQ(push_status, ChannelStatus::timeout);
  EXPECT_EQ(push_returned, 13 * kNanosPerSecond);
}

TEST(Channel, TryFormsNeverBlockAndCloseDrains) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  Channel<int> channel(sim, 1, "c");
  sim.spawn(node, "f", [&] {
    int v = 0;
    EXPECT_EQ(channel.try_pop(v), ChannelStatus::empty);
    EXPECT_EQ(channel.try_push(7), ChannelStatus::ok);
    EXPECT_EQ(channel.try_push(8), ChannelStatus::full);
    channel.close();
    EXPECT_EQ(channel.try_push(9), ChannelStatus::closed);
    EXPECT_EQ(channel.pop(v), ChannelStatus::ok);
    EXPECT_EQ(v, 7);
    EXPECT_EQ(channel.pop(v), ChannelStatus::closed);
  });
  EXPECT_EQ(sim.run().outcome, RunOutcome::quiescent);
}

TEST(Channel, CloseWakesABlockedPopper) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  Channel<int> channel(sim, 1, "c");
  ChannelStatus status = ChannelStatus::ok;
  sim.spawn(node, "popper", [&] {
    int v;
    status = channel.pop(v);
  });
  sim.call_at(42, [&] { channel.close(); });
  sim.run();
  EXPECT_EQ(status, ChannelStatus::closed);
  EXPECT_EQ(sim.now(), 42);
}

TEST(Semaphore, LimitsConcurrencyAndWakesInOrder) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  Semaphore semaphore(sim, 2, "slots");
  int inside = 0;
  int most_inside = 0;
  std::vector<int> entered;
  for (int i = 0; i < 6; ++i) {
    sim.spawn(node, "job" + std::to_string(i), [&, i] {
      semaphore.acquire();
      entered.push_back(i);
      most_inside = std::max(most_inside, ++inside);
      sim.sleep_for(10);
      --inside;
      semaphore.release();
    });
  }
  sim.run();
  EXPECT_EQ(most_inside, 2);
  EXPECT_EQ(entered, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(sim.now(), 30);
  EXPECT_EQ(semaphore.available(), 2);
}

TEST(Semaphore, AReleasingFiberCannotBargeAheadOfWaiters) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  Semaphore semaphore(sim, 1, "one");
  std::vector<std::string> order;
  sim.spawn(node, "greedy", [&] {
    for (int i = 0; i < 3; ++i) {
      semaphore.acquire();
      order.push_back("greedy");
      sim.sleep_for(10);
      semaphore.release();  // and immediately asks again
    }
  });
  sim.spawn(node, "patient", [&] {
    sim.sleep_for(1);
    semaphore.acquire();
    order.push_back("patient@" + std::to_string(sim.now()));
    semaphore.release();
  });
  sim.run();
  EXPECT_EQ(order, (std::vector<std::string>{"greedy", "patient@10", "greedy", "greedy"}));
}

TEST(Semaphore, AcquireTimesOut) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  Semaphore semaphore(sim, 0, "none");
  bool acquired = true;
  sim.spawn(node, "f", [&] { acquired = semaphore.acquire_until(77); });
  sim.run();
  EXPECT_FALSE(acquired);
  EXPECT_EQ(sim.now(), 77);
}

TEST(Signal, WaitersWakeOnSetAndLaterWaitsPassThrough) {
  Simulation sim;
  NodeId node = sim.add_node("n");
  Signal ready(sim, "ready");
  std::vector<Nanos> woke;
  for (int i = 0; i < 3; ++i) {
    sim.spawn(node, "w" + std::to_string(i), [&] {
      ready.wait();
      woke.push_back(sim.now());
    });
  }
  sim.call_at(9, [&] { ready.set(); });
  sim.spawn(node, "late", [&] {
    sim.sleep_for(20);
    ready.wait();
    woke.push_back(sim.now());
  });
  sim.run();
  EXPECT_EQ(woke, (std::vector<Nanos>{9, 9, 9, 20}));
}

}  // namespace
}  // namespace sluice
